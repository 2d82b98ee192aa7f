using System.Net;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

/// <summary>
/// The login rate limiter over real HTTP: back-off per (user, address), the address and user ceilings, 429 with
/// Retry-After, sessions and API keys unaffected, RTSP failures apart from web ones, and the admin's clear actions.
/// Different client addresses come through X-Forwarded-For with 127.0.0.1 as a trusted proxy.
/// </summary>
public sealed class RateLimitTests
{
    private static StringContent Login(string user, string password) =>
        TestServerHost.Json($$"""{"username":"{{user}}","password":"{{password}}"}""");

    private static Task<TestServerHost> StartBehindProxyAsync(int maxAttempts = 5) =>
        TestServerHost.StartAsync(c =>
            c with { Web = c.Web with { TrustedProxyCidrs = "127.0.0.1/32", LoginRateLimitMaxAttempts = maxAttempts } });

    /// <summary>A client whose requests reach the server through the trusted proxy from <paramref name="address"/>.</summary>
    private static HttpClient From(TestServerHost host, string address, HttpClient? client = null)
    {
        client ??= host.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Fact]
    public async Task Five_failures_from_one_address_back_off_that_address_only_with_429_and_retry_after()
    {
        await using var host = await StartBehindProxyAsync();
        using var attacker = From(host, "203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            using var failed = await attacker.PostAsync("/api/auth/login", Login("admin", "wrong"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
            Assert.Equal("""{"error":"Invalid credentials"}""", await failed.Content.ReadAsStringAsync());
        }
        using var limited = await attacker.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("300", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal("""{"error":"Too many failed login attempts; try again in 300 s"}""", await limited.Content.ReadAsStringAsync());

        // The admin from another address is not locked out by the attacker.
        using var admin = From(host, "192.0.2.10");
        using var ok = await admin.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        host.Time.Advance(TimeSpan.FromSeconds(120));
        using var later = await attacker.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword));
        Assert.Equal("180", later.Headers.GetValues("Retry-After").Single());
        host.Time.Advance(TimeSpan.FromSeconds(181));
        using var after = await attacker.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_spraying_address_hits_its_ceiling_and_an_admin_can_clear_it()
    {
        await using var host = await StartBehindProxyAsync();
        await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var sprayer = From(host, "203.0.113.8");
        for (var i = 0; i < 5 * LoginRateLimiter.AddressCeilingFactor; i++)
        {
            using var failed = await sprayer.PostAsync("/api/auth/login", Login($"nobody{i}", "wrong"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using var limited = await sprayer.PostAsync("/api/auth/login", Login("alice", "alice-password"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        using var elsewhere = From(host, "192.0.2.11");
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.PostAsync("/api/auth/login", Login("alice", "alice-password"))).StatusCode);

        using var admin = await host.SessionClientAsync();
        using var bad = await admin.PostAsync("/api/auth/login-lockout/clear", TestServerHost.Json("""{"address":"not-an-ip"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var clear = await admin.PostAsync("/api/auth/login-lockout/clear", TestServerHost.Json("""{"address":"203.0.113.8"}"""));
        Assert.Equal("""{"success":true,"cleared":true,"message":"Login lockout cleared successfully"}""",
            await clear.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await sprayer.PostAsync("/api/auth/login", Login("alice", "alice-password"))).StatusCode);
    }

    [Fact]
    public async Task Many_addresses_guessing_one_account_hit_the_global_ceiling()
    {
        await using var host = await StartBehindProxyAsync(maxAttempts: 2);
        await host.CreateUserAsync("alice", "alice-password", Role.User);
        for (var i = 0; i < 2 * LoginRateLimiter.UserCeilingFactor; i++)
        {
            using var bot = From(host, $"198.51.100.{i + 1}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await bot.PostAsync("/api/auth/login", Login("alice", "wrong"))).StatusCode);
        }
        using var fresh = From(host, "198.51.100.200");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fresh.PostAsync("/api/auth/login", Login("alice", "alice-password"))).StatusCode);
        var aliceId = (await host.Service<UserStore>().GetByUsernameAsync("alice"))!.Id;
        using var admin = await host.SessionClientAsync();
        using var clear = await admin.PostAsync($"/api/auth/users/{aliceId}/login-lockout/clear", null);
        Assert.Contains("\"cleared\":true", await clear.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fresh.PostAsync("/api/auth/login", Login("alice", "alice-password"))).StatusCode);
    }

    [Fact]
    public async Task Basic_failures_answer_429_not_a_misleading_401_and_sessions_and_api_keys_are_unaffected()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { LoginRateLimitMaxAttempts = 3 } });
        var aliceId = await host.CreateUserAsync("alice", "alice-password", Role.User);
        await host.Service<UserStore>().SetApiKeyHashAsync(aliceId, SecretTokens.Hash("alice-api-key-0123456789abcdef0123"));
        using var session = await host.SessionClientAsync("alice", "alice-password");
        using var wrong = host.BasicClient("alice", "bad-password");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/streams")).StatusCode);
        }
        using var right = host.BasicClient("alice", "alice-password");
        using var limited = await right.GetAsync("/api/streams");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/streams")).StatusCode);
        using var apiKey = host.Client();
        apiKey.DefaultRequestHeaders.Add("X-API-Key", "alice-api-key-0123456789abcdef0123");
        Assert.Equal(HttpStatusCode.OK, (await apiKey.GetAsync("/api/streams")).StatusCode);

        using var admin = await host.SessionClientAsync();
        using var clear = await admin.PostAsync($"/api/auth/users/{aliceId}/login-lockout/clear", null);
        Assert.Equal("""{"success":true,"cleared":true,"message":"Login lockout cleared successfully"}""",
            await clear.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/api/streams")).StatusCode);
        using var again = await admin.PostAsync($"/api/auth/users/{aliceId}/login-lockout/clear", null);
        Assert.Contains("\"cleared\":false", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_peer_cannot_choose_its_address_with_X_Forwarded_For()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { LoginRateLimitMaxAttempts = 2 } });
        for (var i = 0; i < 2; i++)
        {
            using var spoofer = From(host, $"203.0.113.{i + 1}");
            await spoofer.PostAsync("/api/auth/login", Login("admin", "wrong"));
        }
        using var third = From(host, "203.0.113.99");
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await third.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword))).StatusCode);
    }

    [Fact]
    public void Web_failures_never_lock_the_rtsp_channel_and_the_other_way_round()
    {
        var time = new TestClock();
        var limiter = new LoginRateLimiter(new LightNvr.Config.ConfigSnapshots(new LightNvr.Config.LightNvrConfig()).Web, time);
        for (var i = 0; i < 100; i++)
        {
            limiter.RecordFailure(LoginChannel.Web, "camera", $"10.0.{i / 250}.{i % 250}");
        }
        Assert.True(limiter.IsLimited(LoginChannel.Web, "camera", "10.9.9.9"));
        Assert.False(limiter.IsLimited(LoginChannel.Rtsp, "camera", "10.9.9.9"));
        Assert.False(limiter.IsLimited(LoginChannel.Rtsp, "camera", "10.0.0.1"));
        for (var i = 0; i < 5; i++)
        {
            limiter.RecordFailure(LoginChannel.Rtsp, "viewer", "10.1.1.1");
        }
        Assert.True(limiter.IsLimited(LoginChannel.Rtsp, "viewer", "10.1.1.1"));
        Assert.False(limiter.IsLimited(LoginChannel.Web, "viewer", "10.1.1.1"));
    }

    [Fact]
    public void Limiter_is_bounded_and_disabled_by_config()
    {
        var time = new TestClock();
        var snapshots = new LightNvr.Config.ConfigSnapshots(new LightNvr.Config.LightNvrConfig());
        var limiter = new LoginRateLimiter(snapshots.Web, time);
        for (var i = 0; i < LoginRateLimiter.MaxTrackedKeys + 100; i++)
        {
            limiter.RecordFailure(LoginChannel.Web, "u" + i, null);
        }
        for (var i = 0; i < 5; i++)
        {
            limiter.RecordFailure(LoginChannel.Web, "last", "10.0.0.1");
        }
        Assert.True(limiter.IsLimited(LoginChannel.Web, "last", "10.0.0.1"));
        Assert.False(limiter.IsLimited(LoginChannel.Web, "someone-else", "10.0.0.1"));
        Assert.False(limiter.IsLimited(LoginChannel.Web, "last", "10.0.0.2"));
        snapshots.Publish(snapshots.Current with { Web = snapshots.Current.Web with { LoginRateLimitEnabled = false } });
        Assert.False(limiter.IsLimited(LoginChannel.Web, "last", "10.0.0.1"));
    }

    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("203.0.113.5, 127.0.0.1", "203.0.113.5")]
    [InlineData("1.1.1.1, 203.0.113.5", "203.0.113.5")]
    [InlineData("garbage, 203.0.113.5:4321", "203.0.113.5")]
    [InlineData("[2001:db8::5]:80", "2001:db8::5")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("garbage", "127.0.0.9")]
    [InlineData("", "127.0.0.9")]
    public async Task Forwarded_client_is_the_right_most_untrusted_hop(string header, string expected)
    {
        // ASP.NET Core's forwarded-headers handling with the options trusted_proxy_cidrs gives; the peer is a trusted proxy.
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("127.0.0.9");
        context.Request.Headers["X-Forwarded-For"] = header;
        var middleware = new Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersMiddleware(_ => Task.CompletedTask,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            Microsoft.Extensions.Options.Options.Create(ForwardedClientMiddleware.OptionsFor("127.0.0.0/8")));
        await middleware.Invoke(context);
        Assert.Equal(expected, ClientAddress.Text(context));
    }
}
