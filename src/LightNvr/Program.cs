using LightNvr.Api;
using LightNvr.Hosting;

// The composition root: each subsystem adds itself with one line (services above Build, endpoints below).
var launch = LaunchContext.Resolve(args, Console.Out, Console.Error);
if (launch.ExitCode is { } exitCode)
{
    return exitCode;
}

var config = launch.Config!;
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.AddLightNvrHosting(config);
builder.Services.AddAuthorization();
// TODO(wt/data): builder.Services.AddLightNvrData(config);
// TODO(wt/data): builder.Services.AddLightNvrAuth(config);

var app = builder.Build();
app.UseLightNvrHosting();
app.MapHealthEndpoints();
app.MapSystemEndpoints();
app.MapSettingsEndpoints();
// TODO(wt/data): app.MapAuthEndpoints();
// TODO(wt/data): app.MapStreamEndpoints();
app.MapWebRoot();

return await app.RunLightNvrAsync(launch);
