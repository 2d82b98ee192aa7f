using System.Net;
using System.Net.Sockets;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Hosting;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Security;

/// <summary>
/// The whole server as Program.cs composes it (every subsystem, every route through <see cref="LightNvrComposition"/>)
/// on 127.0.0.1 with free ports, a real SQLite file and cheap PBKDF2. One stand-in: <see cref="HostControl"/> gets a
/// lifetime that only records stop requests, so the matrix can call restart and shutdown as an admin.
/// </summary>
public sealed class FullServerHost : IAsyncDisposable
{
    private readonly TempFolder _folder;

    private FullServerHost(WebApplication app, TempFolder folder, Uri baseAddress)
    {
        StoragePath = folder.File("recordings");
        App = app;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public string StoragePath { get; }

    public static async Task<FullServerHost> StartAsync()
    {
        var folder = new TempFolder();
        var config = new LightNvrConfig();
        config.Database.Path = folder.File("lightnvr.db");
        config.Storage.Path = folder.File("recordings");
        config.Web.Root = folder.File("www");
        Directory.CreateDirectory(config.Web.Root);
        File.WriteAllText(Path.Combine(config.Web.Root, "index.html"), "<!doctype html><title>LightNVR</title>");
        config.Web.Username = TestServerHost.AdminUser;
        config.Web.Password = TestServerHost.AdminPassword;
        config.Go2rtc.RtspPort = FreePort();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = folder.Path });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLightNvrHostServices(config);
        builder.Services.AddLightNvrSubsystems(config, new PasswordHashingOptions { Iterations = TestServerHost.TestIterations });
        builder.Services.AddSingleton(new HostControl(new StopRecorder(), NullLogger<HostControl>.Instance));
        var app = builder.Build();
        app.MapLightNvrApi();
        await app.StartAsync().ConfigureAwait(false);
        await app.Services.GetRequiredService<FirstAdminService>().Completion.ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FullServerHost(app, folder, new Uri(address));
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        _folder.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The test's stand-in lifetime: records that a stop was asked, never stops the test host.</summary>
    private sealed class StopRecorder : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public int StopRequests { get; private set; }
        public void StopApplication() => StopRequests++;
    }
}
