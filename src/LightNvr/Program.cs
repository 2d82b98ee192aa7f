using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Demo;
using LightNvr.Hosting;
using LightNvr.Live;
using LightNvr.Recording;
using LightNvr.Restream;
using LightNvr.Storage;

// The composition root: each subsystem adds itself with one line (services above Build, endpoints below).
SocketCompletions.RunInline(); // before the first socket
var launch = LaunchContext.Resolve(args, Console.Out, Console.Error);
if (launch.ExitCode is { } exitCode)
{
    return exitCode;
}

var config = launch.Config!;
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.AddLightNvrHosting(config);
builder.Services.AddLightNvrData(config);
builder.Services.AddLightNvrAuth(config);
builder.Services.AddLightNvrRecording(); // before the cameras: start-up repair runs before the first recorder
builder.Services.AddLightNvrDemo(config); // [demo] camera: before the cameras, so they load the demo row as it ends up
builder.Services.AddLightNvrCameras<RtspCameraSourceFactory>();
builder.Services.AddLightNvrRestream(config); // after the cameras: publish-mode streams get their publishers as source
builder.Services.AddLightNvrStorage(config);
builder.Services.AddLightNvrLive();

var app = builder.Build();
app.UseLightNvrHosting();
app.UseLightNvrAuth();
app.UseCrossSiteRequestGuard();
app.MapLightNvrEndpoints();

return await app.RunLightNvrAsync(launch);
