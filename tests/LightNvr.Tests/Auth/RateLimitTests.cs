using System.Net;
using LightNvr.Auth;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

public sealed class RateLimitTests
{
    private static StringContent Login(string user, string password) =>
        TestServerHost.Json($$"""{"username":"{{user}}","password":"{{password}}"}""");

    [Fact]
    public async Task FiveFailuresLockTheUsernameUntilTheWindowPasses()
    {
        await using var host = await TestServerHost.StartAsync();
        using var client = host.Client();
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", Login("admin", "wrong"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
            Assert.Equal("""{"error":"Invalid credentials"}""", await failed.Content.ReadAsStringAsync());
        }
        using var limited = await client.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("""{"error":"Too many login attempts. Please try again later."}""", await limited.Content.ReadAsStringAsync());

        host.Time.Advance(TimeSpan.FromSeconds(301));
        using var ok = await client.PostAsync("/api/auth/login", Login("admin", TestServerHost.AdminPassword));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task OneAddressTryingManyUsernamesIsLimitedToo()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var client = host.Client();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsync("/api/auth/login", Login($"nobody{i}", "wrong"));
        }
        using var limited = await client.PostAsync("/api/auth/login", Login("alice", "alice-password"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task BasicFailuresCountAndAdminCanClearALockout()
    {
        await using var host = await TestServerHost.StartAsync(c => c.Web.LoginRateLimitMaxAttempts = 3);
        var aliceId = await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var admin = await host.SessionClientAsync();
        using var wrong = host.BasicClient("alice", "bad-password");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/streams")).StatusCode);
        }
        using var right = host.BasicClient("alice", "alice-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await right.GetAsync("/api/streams")).StatusCode);

        // The address is limited too; the admin's session still works and clears alice's username.
        using var clear = await admin.PostAsync($"/api/auth/users/{aliceId}/login-lockout/clear", null);
        Assert.Equal("""{"success":true,"cleared":true,"message":"Login lockout cleared successfully"}""",
            await clear.Content.ReadAsStringAsync());
        using var again = await admin.PostAsync($"/api/auth/users/{aliceId}/login-lockout/clear", null);
        Assert.Contains("\"cleared\":false", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void LimiterIsBoundedAndDisabledByConfig()
    {
        var time = new ManualTimeProvider();
        var config = new LightNvr.Config.LightNvrConfig();
        var limiter = new LoginRateLimiter(config, time);
        for (var i = 0; i < LoginRateLimiter.MaxTrackedKeys + 100; i++)
        {
            limiter.RecordFailure("u" + i, null);
        }
        for (var i = 0; i < 5; i++)
        {
            limiter.RecordFailure("last", "10.0.0.1");
        }
        Assert.True(limiter.IsLimited("last", null));
        Assert.True(limiter.IsLimited("someone-else", "10.0.0.1"));
        config.Web.LoginRateLimitEnabled = false;
        Assert.False(limiter.IsLimited("last", "10.0.0.1"));
    }
}
