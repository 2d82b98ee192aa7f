using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

public sealed class CredentialSourceTests
{
    [Fact]
    public async Task API_key_is_shown_once_stored_hashed_and_accepted_in_both_headers()
    {
        await using var host = await TestServerHost.StartAsync();
        var aliceId = await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var alice = host.BasicClient("alice", "alice-password");
        using var created = await alice.PostAsync($"/api/auth/users/{aliceId}/api-key", null);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("api_key").GetString()!;
        Assert.Equal(32, key.Length);
        Assert.Equal(SecretTokens.Hash(key), (await host.Service<UserStore>().GetAsync(aliceId))!.ApiKeyHash);

        using var byHeader = host.Client();
        byHeader.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await byHeader.GetAsync("/api/streams")).StatusCode);
        using var byBearer = host.Client();
        byBearer.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var verify = JsonDocument.Parse(await byBearer.GetStringAsync("/api/auth/verify")).RootElement;
        Assert.Equal("alice", verify.GetProperty("username").GetString());
        Assert.Equal("user", verify.GetProperty("role").GetString());
        Assert.Equal(1, verify.GetProperty("role_id").GetInt32());

        using var wrong = host.Client();
        wrong.DefaultRequestHeaders.Add("X-API-Key", key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/streams")).StatusCode);

        // Listing users never shows a key again.
        using var admin = await host.SessionClientAsync();
        var users = await admin.GetStringAsync("/api/auth/users");
        Assert.DoesNotContain(key, users, StringComparison.Ordinal);
        Assert.Contains("\"api_key_set\":true", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_is_verified_and_a_deactivated_user_is_refused_at_once()
    {
        await using var host = await TestServerHost.StartAsync();
        var id = await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var alice = host.BasicClient("alice", "alice-password");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/streams")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/streams")).StatusCode); // from the short cache
        using var bad = host.BasicClient("alice", "not-her-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("/api/streams")).StatusCode);
        using var garbage = host.Client();
        garbage.DefaultRequestHeaders.Add("Authorization", "Basic !!!");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/streams")).StatusCode);

        using var admin = await host.SessionClientAsync();
        await admin.PutAsync($"/api/auth/users/{id}", TestServerHost.Json("""{"is_active":false}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/streams")).StatusCode);
    }

    [Fact]
    public async Task Changed_password_invalidates_the_basic_cache()
    {
        await using var host = await TestServerHost.StartAsync();
        var id = await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var alice = host.BasicClient("alice", "alice-password");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/streams")).StatusCode);
        using var admin = await host.SessionClientAsync();
        using var change = await admin.PutAsync($"/api/auth/users/{id}/password", TestServerHost.Json("""{"new_password":"brand-new-pass"}"""));
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/streams")).StatusCode);
    }

    [Fact]
    public async Task Auth_disabled_makes_every_request_the_admin()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { AuthEnabled = false } });
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/auth/users")).StatusCode);
        var verify = await anonymous.GetStringAsync("/api/auth/verify");
        Assert.Contains("\"auth_enabled\":false", verify, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"admin\"", verify, StringComparison.Ordinal);
        using var create = await anonymous.PostAsync("/api/streams", TestServerHost.Json("""{"name":"c","url":"rtsp://h/1"}"""));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    [Fact]
    public async Task Demo_mode_lets_anonymous_view_but_not_change()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { DemoMode = true } });
        await host.Service<StreamStore>().InsertAsync(new StreamConfig { Name = "c", Url = "rtsp://user:pw@h/1", AdminUrl = "http://h" });
        using var anonymous = host.Client();
        var list = await anonymous.GetStringAsync("/api/streams");
        Assert.Contains("\"url\":\"rtsp://h/1\"", list, StringComparison.Ordinal);
        Assert.Equal("""{"authenticated":false,"demo_mode":true,"username":"demo","role":"viewer"}""",
            await anonymous.GetStringAsync("/api/auth/verify"));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.DeleteAsync("/api/streams/c")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync("/api/auth/users")).StatusCode);
    }

    [Fact]
    public async Task Form_login_redirects()
    {
        await using var host = await TestServerHost.StartAsync();
        using var client = host.Client();
        using var ok = await client.PostAsync("/api/auth/login", new FormUrlEncodedContent(
            [new("username", "admin"), new("password", TestServerHost.AdminPassword)]));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/index.html", ok.Headers.Location?.OriginalString);
        Assert.NotNull(host.SessionCookie(client));
        using var bad = await client.PostAsync("/api/auth/login", new FormUrlEncodedContent(
            [new("username", "admin"), new("password", "nope")]));
        Assert.Equal("/login.html?error=1", bad.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_body_errors()
    {
        await using var host = await TestServerHost.StartAsync();
        using var client = host.Client();
        using var badJson = await client.PostAsync("/api/auth/login", TestServerHost.Json("{nope"));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal("""{"error":"Invalid login data"}""", await badJson.Content.ReadAsStringAsync());
        using var missing = await client.PostAsync("/api/auth/login", TestServerHost.Json("""{"username":"admin"}"""));
        Assert.Equal("""{"error":"Missing or invalid username/password"}""", await missing.Content.ReadAsStringAsync());
        using var config = await client.GetAsync("/api/auth/login/config");
        Assert.Equal("""{"force_mfa_on_login":false,"remember_device_enabled":true,"auth_timeout_hours":24,"auth_absolute_timeout_hours":168,"trusted_device_days":30}""",
            await config.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Allowed_login_CIDRs_restrict_where_a_user_may_log_in()
    {
        await using var host = await TestServerHost.StartAsync();
        using var admin = await host.SessionClientAsync();
        using var created = await admin.PostAsync("/api/auth/users", TestServerHost.Json(
            """{"username":"remote","password":"remote-password","allowed_login_cidrs":"192.0.2.0/24"}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var client = host.Client();
        using var login = await client.PostAsync("/api/auth/login", TestServerHost.Json("""{"username":"remote","password":"remote-password"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode); // tests connect from 127.0.0.1
    }
}
