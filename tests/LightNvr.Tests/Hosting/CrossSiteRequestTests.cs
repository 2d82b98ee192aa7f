using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Hosting;

/// <summary>
/// CSRF defence and browser headers on the whole server (TestServerHost full: Program.cs's middleware): a request
/// signed in by the session cookie that changes state, or opens the live WebSocket, from another site is a 403; the
/// same request from this site, without browser headers, or with an API key or Basic passes. Every answer carries the
/// framing, sniffing, referrer and content-security headers.
/// </summary>
public sealed class CrossSiteRequestTests : IAsyncLifetime
{
    private const string Evil = "https://evil.example";
    private TestServerHost _host = null!;
    private HttpClient _session = null!;

    public async Task InitializeAsync()
    {
        _host = await TestServerHost.StartAsync(full: true);
        _session = await _host.SessionClientAsync();
    }

    public async Task DisposeAsync()
    {
        _session.Dispose();
        await _host.DisposeAsync();
    }

    private string Own => _host.BaseAddress.GetLeftPart(UriPartial.Authority);

    private async Task<HttpResponseMessage> CreateUserAsync(HttpClient client, string name, string? origin, string? site = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/users")
        {
            Content = TestServerHost.Json($$"""{"username":"{{name}}","password":"password-123","role":2}"""),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }
        return await client.SendAsync(request);
    }

    private async Task<bool> UserExistsAsync(string name) => await _host.Service<UserStore>().GetByUsernameAsync(name) is not null;

    [Theory]
    [InlineData(Evil, null)]
    [InlineData(Evil, "cross-site")]
    [InlineData("null", null)] // sandboxed frames and some redirects
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")] // a sibling subdomain is another origin
    [InlineData("http://127.0.0.1:1", null)] // same host, another port
    public async Task A_cookie_signed_post_from_another_site_is_a_403_and_changes_nothing(string? origin, string? site)
    {
        using var response = await CreateUserAsync(_session, "mallory", origin, site);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.StartsWith("Cross-site request refused", error, StringComparison.Ordinal);
        Assert.False(await UserExistsAsync("mallory"));
    }

    [Fact]
    public async Task A_cookie_signed_delete_from_another_site_is_a_403()
    {
        var sessions = JsonDocument.Parse(await _session.GetStringAsync("/api/auth/sessions")).RootElement.GetProperty("sessions");
        var id = sessions.EnumerateArray().First().GetProperty("id").GetInt64();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/auth/sessions/{id}");
        request.Headers.Add("Origin", Evil);
        using var response = await _session.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _session.GetAsync("/api/auth/verify")).StatusCode); // still signed in
    }

    [Theory]
    [InlineData(true, null, "alice1")]
    [InlineData(false, "same-origin", "alice2")]
    [InlineData(false, "none", "alice3")]
    [InlineData(false, null, "alice4")] // no Origin, no Sec-Fetch-Site: not a browser
    public async Task The_same_request_from_this_site_or_a_non_browser_passes(bool ownOrigin, string? site, string name)
    {
        using var response = await CreateUserAsync(_session, name, ownOrigin ? Own : null, site);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True(await UserExistsAsync(name));
    }

    [Fact]
    public async Task Basic_and_api_keys_are_not_affected_by_a_foreign_origin()
    {
        using var basic = _host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using (var response = await CreateUserAsync(basic, "bob", Evil, "cross-site"))
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        }

        using var keyResponse = await basic.PostAsync("/api/auth/users/1/api-key", null);
        var key = JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("api_key").GetString()!;
        using var byKey = _host.Client();
        byKey.DefaultRequestHeaders.Add("X-API-Key", key);
        using var created = await CreateUserAsync(byKey, "carol", Evil, "cross-site");
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_cookie_signed_websocket_handshake_needs_this_sites_origin(bool foreign)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.Cookies = new CookieContainer();
        ws.Options.Cookies.Add(_host.BaseAddress, new Cookie("session", _host.SessionCookie(_session)));
        ws.Options.SetRequestHeader("Origin", foreign ? Evil : Own);
        var url = new UriBuilder(_host.BaseAddress) { Scheme = "ws", Path = "/go2rtc/api/ws", Query = "src=nosuchcamera" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(url, CancellationToken.None));
        // Foreign: refused before the endpoint. Own site: the endpoint answers (no such stream).
        Assert.Equal(foreign ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, ws.HttpStatusCode);
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/streams")] // 401 without credentials
    [InlineData("/api/nothing-here")] // 404
    [InlineData("/")] // the web UI (the placeholder page in tests)
    public async Task Every_answer_carries_the_browser_protection_headers(string path)
    {
        using var client = _host.Client();
        using var response = await client.GetAsync(path);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }
}
