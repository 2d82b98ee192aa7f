using LightNvr;
using LightNvr.Hosting;

// The composition root: the host, then every subsystem and every route (LightNvrComposition lists them).
if (LightNvr.Import.ImportCommand.IsImport(args))
{
    return await LightNvr.Import.ImportCommand.RunAsync(args, Console.Out, Console.Error); // a one-off command, no server
}
if (LightNvr.Import.DatabaseRestoreCommand.IsRestore(args))
{
    return await LightNvr.Import.DatabaseRestoreCommand.RunAsync(args, Console.Out, Console.Error); // stage a backup
}
if (LightNvr.Import.DatabaseMigrateCommand.IsDb(args))
{
    return await LightNvr.Import.DatabaseMigrateCommand.RunAsync(args, Console.Out, Console.Error); // sqlite <-> postgresql
}

SocketCompletions.RunInline(); // before the first socket
var launch = LaunchContext.Resolve(args, Console.Out, Console.Error);
if (launch.ExitCode is { } exitCode)
{
    return exitCode;
}

var config = launch.Config!;
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.AddLightNvrHosting(config);
builder.Services.AddLightNvrSubsystems(config);

var app = builder.Build();
app.UseLightNvrHosting();
app.MapLightNvrApi();

return await app.RunLightNvrAsync(launch);
