using System.Net;
using System.Text.Json;
using System.Text;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

public sealed class TotpTests
{
    [Theory] // RFC 6238 Appendix B, SHA-1 key "12345678901234567890", last 6 of the 8-digit values.
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1111111111, "050471")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    public void Rfc6238_vectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(Encoding.ASCII.GetBytes("12345678901234567890"), unixSeconds / 30));

    [Fact]
    public void Base32_round_trips_and_matches_RFC_4648()
    {
        Assert.Equal("MZXW6YTBOI", Totp.Base32("foobar"u8));
        Assert.True(Totp.TryBase32("mzxw6ytboi======", out var bytes));
        Assert.Equal("foobar"u8.ToArray(), bytes);
        Assert.False(Totp.TryBase32("not base32!", out _));
        Assert.Equal(32, Totp.NewSecret().Length);
    }

    [Fact]
    public void Code_is_accepted_once_within_one_step_of_drift()
    {
        var time = new TestClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var totp = new Totp(time);
        var secret = Totp.NewSecret();
        Totp.TryBase32(secret, out var key);
        var previous = Totp.Code(key, 1_800_000_000 / 30 - 1);
        Assert.True(totp.Verify(1, secret, previous));
        Assert.False(totp.Verify(1, secret, previous)); // replay
        Assert.False(totp.Verify(2, secret, Totp.Code(key, 1_800_000_000 / 30 + 2)));
        Assert.False(totp.Verify(2, secret, "12345"));
    }

    private static string CodeNow(TestServerHost host, string secret)
    {
        Totp.TryBase32(secret, out var key);
        return Totp.Code(key, host.Time.GetUtcNow().ToUnixTimeSeconds() / Totp.StepSeconds);
    }

    [Fact]
    public async Task Setup_verify_and_two_step_login()
    {
        await using var host = await TestServerHost.StartAsync();
        using var admin = await host.SessionClientAsync();
        var setup = JsonDocument.Parse(await (await admin.PostAsync("/api/auth/users/1/totp/setup", null)).Content.ReadAsStringAsync()).RootElement;
        var secret = setup.GetProperty("secret").GetString()!;
        Assert.StartsWith("otpauth://totp/LightNVR:admin?secret=" + secret, setup.GetProperty("otpauth_uri").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"totp_enabled":false,"totp_configured":true}""", await admin.GetStringAsync("/api/auth/users/1/totp/status"));
        using var wrongSetupCode = await admin.PostAsync("/api/auth/users/1/totp/verify", TestServerHost.Json("""{"code":"000000"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSetupCode.StatusCode);
        using var verified = await admin.PostAsync("/api/auth/users/1/totp/verify", TestServerHost.Json($$"""{"code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal("""{"success":true,"message":"TOTP MFA enabled successfully"}""", await verified.Content.ReadAsStringAsync());
        host.Time.Advance(TimeSpan.FromSeconds(30));

        // Step 1: the password alone gives a pending token and no cookie; the token is not a session.
        using var client = host.Client();
        using var step1 = await client.PostAsync("/api/auth/login",
            TestServerHost.Json($$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        var pending = JsonDocument.Parse(await step1.Content.ReadAsStringAsync()).RootElement;
        Assert.True(pending.GetProperty("totp_required").GetBoolean());
        var token = pending.GetProperty("totp_token").GetString()!;
        Assert.Null(host.SessionCookie(client));
        using var asCookie = new HttpRequestMessage(HttpMethod.Get, "/api/streams");
        asCookie.Headers.Add("Cookie", "session=" + token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().SendAsync(asCookie)).StatusCode);

        // Step 2: wrong code, then the right one.
        using var wrong = await client.PostAsync("/api/auth/login/totp", TestServerHost.Json($$"""{"totp_token":"{{token}}","code":"000000"}"""));
        Assert.Equal("""{"error":"Invalid TOTP code"}""", await wrong.Content.ReadAsStringAsync());
        using var right = await client.PostAsync("/api/auth/login/totp",
            TestServerHost.Json($$"""{"totp_token":"{{token}}","code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal("""{"success":true,"redirect":"/index.html"}""", await right.Content.ReadAsStringAsync());
        Assert.NotNull(host.SessionCookie(client));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/streams")).StatusCode);
        using var reused = await client.PostAsync("/api/auth/login/totp",
            TestServerHost.Json($$"""{"totp_token":"{{token}}","code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal("""{"error":"Invalid or expired MFA token. Please login again."}""", await reused.Content.ReadAsStringAsync());

        // One step: totp_code with the password. A form login cannot skip the second factor.
        host.Time.Advance(TimeSpan.FromSeconds(30));
        using var oneStep = await host.Client().PostAsync("/api/auth/login", TestServerHost.Json(
            $$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}","totp_code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal(HttpStatusCode.OK, oneStep.StatusCode);
        Assert.Contains("\"success\":true", await oneStep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var form = await host.Client().PostAsync("/api/auth/login", new FormUrlEncodedContent(
            [new("username", "admin"), new("password", TestServerHost.AdminPassword)]));
        Assert.Equal("/login.html?error=totp_required", form.Headers.Location?.OriginalString);

        // Pending tokens expire after 5 minutes.
        using var again = await host.Client().PostAsync("/api/auth/login",
            TestServerHost.Json($$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        var late = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("totp_token").GetString();
        host.Time.Advance(TimeSpan.FromMinutes(6));
        using var expired = await host.Client().PostAsync("/api/auth/login/totp",
            TestServerHost.Json($$"""{"totp_token":"{{late}}","code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);

        using var disabled = await admin.PostAsync("/api/auth/users/1/totp/disable",
            TestServerHost.Json($$"""{"password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal("""{"totp_enabled":false,"totp_configured":false}""", await admin.GetStringAsync("/api/auth/users/1/totp/status"));
    }

    [Fact]
    public async Task Remembered_device_skips_the_code_until_removed()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { ForceMfaOnLogin = true } });
        var secret = Totp.NewSecret();
        await host.Service<LightNvr.Data.UserStore>().SetTotpAsync(1, secret, enabled: true);
        using var browser = host.Client();
        using var first = await browser.PostAsync("/api/auth/login", TestServerHost.Json(
            $$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}","totp_code":"{{CodeNow(host, secret)}}","remember_device":true}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var setCookies = first.Headers.GetValues("Set-Cookie").ToList();
        var trusted = Assert.Single(setCookies, c => c.StartsWith("trusted_device=", StringComparison.Ordinal));
        Assert.Contains("max-age=2592000", trusted, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", trusted, StringComparison.OrdinalIgnoreCase);

        // Same browser, no code: accepted (password still needed).
        host.Time.Advance(TimeSpan.FromDays(1));
        using var second = await browser.PostAsync("/api/auth/login",
            TestServerHost.Json($$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var wrongPassword = await browser.PostAsync("/api/auth/login", TestServerHost.Json("""{"username":"admin","password":"nope"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);

        var devices = JsonDocument.Parse(await browser.GetStringAsync("/api/auth/trusted-devices")).RootElement.GetProperty("trusted_devices");
        var device = Assert.Single(devices.EnumerateArray());
        Assert.True(device.GetProperty("current").GetBoolean());
        using var removed = await browser.DeleteAsync($"/api/auth/trusted-devices/{device.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        using var third = await browser.PostAsync("/api/auth/login",
            TestServerHost.Json($$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, third.StatusCode);
        Assert.Equal("""{"error":"Trusted device not found"}""",
            await (await browser.DeleteAsync("/api/auth/trusted-devices/12345")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forced_mfa_needs_the_code_in_the_login_request()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Web = c.Web with { ForceMfaOnLogin = true } });
        var secret = Totp.NewSecret();
        await host.Service<LightNvr.Data.UserStore>().SetTotpAsync(1, secret, enabled: true);
        using var noCode = await host.Client().PostAsync("/api/auth/login",
            TestServerHost.Json($$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        Assert.Equal("""{"error":"Invalid credentials"}""", await noCode.Content.ReadAsStringAsync());
        using var withCode = await host.Client().PostAsync("/api/auth/login", TestServerHost.Json(
            $$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}","totp_code":"{{CodeNow(host, secret)}}"}"""));
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
    }

    [Fact]
    public async Task Others_cannot_manage_someone_elses_mfa()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.CreateUserAsync("alice", "alice-password", Role.User);
        using var alice = host.BasicClient("alice", "alice-password");
        using var other = await alice.PostAsync("/api/auth/users/1/totp/setup", null);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("""{"error":"Forbidden: Can only manage your own MFA"}""", await other.Content.ReadAsStringAsync());
        using var bad = await alice.GetAsync("/api/auth/users/x/totp/status");
        Assert.Equal("""{"error":"Invalid user ID in path"}""", await bad.Content.ReadAsStringAsync());
        using var own = await alice.PostAsync("/api/auth/users/2/totp/verify", TestServerHost.Json("""{"code":"123456"}"""));
        Assert.Equal("""{"error":"TOTP not set up for this user. Run setup first."}""", await own.Content.ReadAsStringAsync());
    }
}
