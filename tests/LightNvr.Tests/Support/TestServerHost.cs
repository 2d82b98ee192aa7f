using System.Net.Http.Headers;
using System.Net;
using System.Text;
using LightNvr.Api.Streams;
using LightNvr.Api.Users;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Support;

/// <summary>
/// A real LightNVR web host for tests: Kestrel on 127.0.0.1 with a free port, a real SQLite file in a temp folder,
/// AddLightNvrData + AddLightNvrAuth, the auth and stream endpoints, a <see cref="TestClock"/> clock and
/// cheap PBKDF2 (1,000 iterations). The first admin is <see cref="AdminUser"/>/<see cref="AdminPassword"/>.
/// Others can pass <c>configureServices</c>/<c>map</c> to add their own services and endpoints; <c>full</c> builds the
/// whole server as Program.cs does (every service, middleware and route; RTSP restream off).
/// </summary>
public sealed class TestServerHost : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-password-1";
    public const int TestIterations = 1000;

    private readonly TempFolder _folder;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> _cookies = [];

    private TestServerHost(WebApplication app, TempFolder folder, TestClock time, Uri baseAddress)
    {
        App = app;
        _folder = folder;
        Time = time;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    /// <summary>The configuration in effect (the server's current snapshot); change a live key with <see cref="Update"/>.</summary>
    public LightNvrConfig Config => Service<ConfigSnapshots>().Current;
    public TestClock Time { get; }
    public Uri BaseAddress { get; }
    public string DataFolder => _folder.Path;

    /// <summary>Publishes a new snapshot built from the current one, as the settings API does (snapshots are immutable).</summary>
    public void Update(Func<LightNvrConfig, LightNvrConfig> change) =>
        Service<ConfigSnapshots>().Publish(change(Config));

    /// <param name="configure">Returns the configuration to start with, built from the defaults given
    /// (<c>c =&gt; c with { Web = c.Web with { AuthEnabled = false } }</c>).</param>
    public static async Task<TestServerHost> StartAsync(Func<LightNvrConfig, LightNvrConfig>? configure = null,
        Action<IServiceCollection>? configureServices = null, Action<WebApplication>? map = null,
        PasswordHashingOptions? hashing = null, bool awaitFirstAdmin = true, bool full = false)
    {
        var folder = new TempFolder();
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = folder.File("lightnvr.db") },
            Storage = new StorageOptions { Path = folder.File("recordings") },
            Web = new WebOptions { Username = AdminUser, Password = AdminPassword },
            // full: no RTSP restream listener (test hosts run in parallel)
            Go2rtc = full ? new Go2rtcOptions { RtspPort = 0 } : new Go2rtcOptions(),
        };
        // The default engine first, so what configure returns (and what a caller captures there) is the final
        // configuration; a test that points [database] at a file of its own keeps SQLite.
        var engine = await TestDatabases.UseDefaultEngineAsync(config);
        config = configure?.Invoke(engine) ?? engine;
        if (config.Database.Path != folder.File("lightnvr.db") && config.Database.ConnectionString.Length > 0
            && config.Database.ConnectionString == engine.Database.ConnectionString)
        {
            config = config with { Database = config.Database with { Type = "sqlite", ConnectionString = "" } };
        }
        var time = new TestClock();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = folder.Path });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(config);
        hashing ??= new PasswordHashingOptions { Iterations = TestIterations };
        if (full)
        {
            builder.Services.AddLightNvrHostServices(config);
            builder.Services.AddLightNvrSubsystems(config, hashing); // as Program.cs
        }
        else
        {
            builder.Services.AddLightNvrData(config);
            builder.Services.AddLightNvrAuth(config, hashing);
        }
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (full)
        {
            // As Program.cs: the host's middleware, then auth, the request guards and every route.
            app.UseLightNvrHosting();
            app.MapLightNvrApi();
        }
        else
        {
            app.UseLightNvrAuth();
            app.MapAuthEndpoints();
            app.MapUserEndpoints();
            app.MapTotpEndpoints();
            app.MapTrustedDeviceEndpoints();
            app.MapStreamEndpoints();
        }
        map?.Invoke(app);
        await app.StartAsync().ConfigureAwait(false);
        if (awaitFirstAdmin)
        {
            // The first admin is created after listening; tests that add users straight to the store expect it to be user 1.
            await app.Services.GetRequiredService<FirstAdminService>().Completion.ConfigureAwait(false);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServerHost(app, folder, time, new Uri(address));
    }

    /// <summary>Program.cs's services (without Kestrel and logging, which the test host sets itself).</summary>
    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A client without credentials (cookies kept per client, redirects not followed).</summary>
    public HttpClient Client()
    {
        var cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        _cookies.Add(client, cookies);
        return client;
    }

    /// <summary>The session cookie a client made by <see cref="Client"/> holds, or null.</summary>
    public string? SessionCookie(HttpClient client) =>
        _cookies.TryGetValue(client, out var cookies) ? cookies.GetCookies(BaseAddress)["session"]?.Value : null;

    /// <summary>A client sending HTTP Basic on every request.</summary>
    public HttpClient BasicClient(string username, string password)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }

    /// <summary>A client that logged in through POST /api/auth/login and holds the session cookie.</summary>
    public async Task<HttpClient> SessionClientAsync(string username = AdminUser, string password = AdminPassword)
    {
        var client = Client();
        using var response = await client.PostAsync("/api/auth/login", Json($$"""{"username":"{{username}}","password":"{{password}}"}"""))
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"login as {username} failed: {(int)response.StatusCode}");
        }
        return client;
    }

    /// <summary>Creates a user straight in the store (no HTTP) and returns its id.</summary>
    public async Task<long> CreateUserAsync(string username, string password, Role role)
    {
        var (hash, salt) = Service<PasswordHasher>().Hash(password);
        return (await Service<UserStore>().InsertAsync(new UserRecord
        {
            Username = username, PasswordHash = hash, Salt = salt, Role = role,
        }).ConfigureAwait(false))!.Value;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        _folder.Dispose();
    }
}
