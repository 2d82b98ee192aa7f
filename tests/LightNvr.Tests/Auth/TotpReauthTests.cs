using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

/// <summary>
/// Turning TOTP off, or replacing an enabled secret, needs proof beyond the session: the current code or the signed-in
/// account's password. A stolen session cookie or an unattended browser alone cannot remove the second factor.
/// </summary>
public sealed class TotpReauthTests
{
    private const string Disable = "/api/auth/users/1/totp/disable";
    private const string Setup = "/api/auth/users/1/totp/setup";

    private static async Task<(TestServerHost Host, string Secret)> StartWithTotpAsync()
    {
        var host = await TestServerHost.StartAsync();
        var secret = Totp.NewSecret();
        await host.Service<UserStore>().SetTotpAsync(1, secret, enabled: true);
        return (host, secret);
    }

    private static string CodeNow(TestServerHost host, string secret)
    {
        Totp.TryBase32(secret, out var key);
        return Totp.Code(key, host.Time.GetUtcNow().ToUnixTimeSeconds() / Totp.StepSeconds);
    }

    private static async Task<string?> SecretOf(TestServerHost host, long id) => (await host.Service<UserStore>().GetAsync(id))!.TotpSecret;

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest, "The current TOTP 'code' or your 'password' is required")]
    [InlineData("{}", HttpStatusCode.BadRequest, "The current TOTP 'code' or your 'password' is required")]
    [InlineData("""{"password":"wrong-password"}""", HttpStatusCode.Forbidden, "Current TOTP code or password is incorrect")]
    [InlineData("""{"code":"000000"}""", HttpStatusCode.Forbidden, "Current TOTP code or password is incorrect")]
    public async Task Disable_without_proof_is_refused_and_totp_stays_on(string? body, HttpStatusCode status, string error)
    {
        var (host, secret) = await StartWithTotpAsync();
        await using var _ = host;
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using var response = await admin.PostAsync(Disable, body is null ? null : TestServerHost.Json(body));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($$"""{"error":"{{error}}"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"totp_enabled":true,"totp_configured":true}""", await admin.GetStringAsync("/api/auth/users/1/totp/status"));
        Assert.Equal(secret, await SecretOf(host, 1));
    }

    [Theory]
    [InlineData("code")]
    [InlineData("password")]
    public async Task Disable_with_the_current_code_or_the_password_turns_totp_off(string proof)
    {
        var (host, secret) = await StartWithTotpAsync();
        await using var _ = host;
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        var value = proof == "code" ? CodeNow(host, secret) : TestServerHost.AdminPassword;
        using var response = await admin.PostAsync(Disable, TestServerHost.Json($$"""{"{{proof}}":"{{value}}"}"""));
        Assert.Equal("""{"success":true,"message":"TOTP MFA disabled successfully"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"totp_enabled":false,"totp_configured":false}""", await admin.GetStringAsync("/api/auth/users/1/totp/status"));
    }

    [Fact]
    public async Task Setup_over_an_enabled_totp_needs_proof_and_keeps_the_old_secret_without_it()
    {
        var (host, secret) = await StartWithTotpAsync();
        await using var _ = host;
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using var bare = await admin.PostAsync(Setup, null);
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        using var wrong = await admin.PostAsync(Setup, TestServerHost.Json("""{"password":"wrong-password"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(secret, await SecretOf(host, 1));
        Assert.Equal("""{"totp_enabled":true,"totp_configured":true}""", await admin.GetStringAsync("/api/auth/users/1/totp/status"));

        using var proven = await admin.PostAsync(Setup, TestServerHost.Json($$"""{"code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal(HttpStatusCode.OK, proven.StatusCode);
        var fresh = JsonDocument.Parse(await proven.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString();
        Assert.NotEqual(secret, fresh);
        Assert.Equal(fresh, await SecretOf(host, 1));
    }

    [Fact]
    public async Task A_first_setup_needs_no_proof()
    {
        await using var host = await TestServerHost.StartAsync();
        using var admin = await host.SessionClientAsync();
        using var response = await admin.PostAsync(Setup, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_disabling_another_users_totp_gives_their_own_password()
    {
        await using var host = await TestServerHost.StartAsync();
        var alice = await host.CreateUserAsync("alice", "alice-password", Role.User);
        await host.Service<UserStore>().SetTotpAsync(alice, Totp.NewSecret(), enabled: true);
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using var withAlices = await admin.PostAsync($"/api/auth/users/{alice}/totp/disable",
            TestServerHost.Json("""{"password":"alice-password"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, withAlices.StatusCode);
        using var withOwn = await admin.PostAsync($"/api/auth/users/{alice}/totp/disable",
            TestServerHost.Json($$"""{"password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.OK, withOwn.StatusCode);
        Assert.Null(await SecretOf(host, alice));
    }
}
