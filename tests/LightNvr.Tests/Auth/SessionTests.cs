using System.Net;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

public sealed class SessionTests
{
    [Fact]
    public async Task Login_sets_a_hardened_cookie_and_stores_only_the_token_hash()
    {
        await using var host = await TestServerHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("/api/auth/login",
            TestServerHost.Json($$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"success":true,"redirect":"/index.html"}""", await response.Content.ReadAsStringAsync());

        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("session=", setCookie, StringComparison.Ordinal);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=604800", setCookie, StringComparison.OrdinalIgnoreCase);
        var token = setCookie["session=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.True(token.Length >= 32);

        var sessions = await host.Service<SessionStore>().ListForUserAsync(1, host.Time.GetUtcNow().ToUnixTimeSeconds());
        var row = Assert.Single(sessions);
        Assert.Equal(SecretTokens.Hash(token), row.TokenHash);
        Assert.NotEqual(token, row.TokenHash);
    }

    [Fact]
    public async Task Idle_expiry_is_refreshed_on_use_and_absolute_expiry_is_not()
    {
        await using var host = await TestServerHost.StartAsync(c =>
            c with { Web = c.Web with { AuthTimeoutHours = 24, AuthAbsoluteTimeoutHours = 72 } });
        using var client = await host.SessionClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/verify")).StatusCode);

        // Used every 20 h: idle never lapses, until the 72 h absolute limit.
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromHours(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/streams")).StatusCode);
        }
        host.Time.Advance(TimeSpan.FromHours(13)); // 73 h after login
        using var expired = await client.GetAsync("/api/streams");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("""{"error":"Unauthorized"}""", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Idle_session_expires()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { AuthTimeoutHours = 2 } });
        using var client = await host.SessionClientAsync();
        host.Time.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/streams")).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(121));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/streams")).StatusCode);
        using var verify = await client.GetAsync("/api/auth/verify");
        Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
    }

    [Fact]
    public async Task Logout_revokes_the_session()
    {
        await using var host = await TestServerHost.StartAsync();
        using var client = await host.SessionClientAsync();
        using var cookie = host.Client(); // a second client replaying the same cookie after logout
        var token = host.SessionCookie(client);
        Assert.NotNull(token);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("Accept", "application/json");
        using var response = await client.SendAsync(logout);
        Assert.Equal("""{"success":true,"redirect":"/login.html?logout=true"}""", await response.Content.ReadAsStringAsync());

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/streams");
        replay.Headers.Add("Cookie", "session=" + token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookie.SendAsync(replay)).StatusCode);

        using var browser = host.Client();
        using var redirect = await browser.GetAsync("/logout");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/login.html?logout=true", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sessions_list_and_revoke_own_only()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var admin = await host.SessionClientAsync();
        using var alice = await host.SessionClientAsync("alice", "alice-password");

        var list = System.Text.Json.JsonDocument.Parse(await alice.GetStringAsync("/api/auth/sessions")).RootElement.GetProperty("sessions");
        var own = Assert.Single(list.EnumerateArray());
        Assert.True(own.GetProperty("current").GetBoolean());
        var adminSessions = await host.Service<SessionStore>().ListForUserAsync(1, host.Time.GetUtcNow().ToUnixTimeSeconds());

        using var notOwn = await alice.DeleteAsync($"/api/auth/sessions/{adminSessions[0].Id}");
        Assert.Equal(HttpStatusCode.NotFound, notOwn.StatusCode);
        Assert.Equal("""{"error":"Session not found"}""", await notOwn.Content.ReadAsStringAsync());
        using var mine = await alice.DeleteAsync($"/api/auth/sessions/{own.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/streams")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/streams")).StatusCode);
    }
}
