using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Health;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api;

/// <summary>
/// Issue 17 item 9, over real HTTP on the whole server: 405 with Allow for a wrong method on an existing path, bare
/// addresses in allowed_login_cidrs stored as single-host CIDRs, upstream's version categories in /api/system/info,
/// trusted_proxy_cidrs through ASP.NET Core's forwarded headers (For and Proto, only from a trusted peer), and a locked
/// address answered 429 with Retry-After on every route until an admin clears it.
/// </summary>
public sealed class ApiParityTests
{
    [Theory]
    [InlineData("DELETE", "/api/system/info", "GET")]
    [InlineData("PUT", "/api/streams", "GET, POST")]
    [InlineData("GET", "/api/auth/login", "POST")]
    [InlineData("PATCH", "/api/streams/porch", "DELETE, GET, PUT")]
    [InlineData("POST", "/api/system/logs", "GET")]
    [InlineData("POST", "/hls/porch/1.m4s", "GET")]
    [InlineData("POST", "/recordings", "GET, HEAD")]
    public async Task A_wrong_method_on_an_existing_path_is_405_with_allow(string method, string path, string allow)
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority)); // the cookie's CSRF rule
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal("""{"error":"Method Not Allowed"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api/no-such-thing")]
    [InlineData("POST", "/api/no-such-thing")]
    [InlineData("DELETE", "/go2rtc/api/nothing")]
    public async Task A_path_no_route_has_stays_404(string method, string path)
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Bare_addresses_in_allowed_login_cidrs_are_stored_as_single_host_networks()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();
        using var created = await admin.PostAsync("/api/auth/users", TestServerHost.Json(
            """{"username":"bob","password":"long-enough","allowed_login_cidrs":"192.0.2.7, 10.0.0.0/8\n2001:db8::7"}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal("192.0.2.7/32\n10.0.0.0/8\n2001:db8::7/128", body.RootElement.GetProperty("allowed_login_cidrs").GetString());

        var id = body.RootElement.GetProperty("id").GetInt64();
        using var updated = await admin.PutAsync($"/api/auth/users/{id}", TestServerHost.Json("""{"allowed_login_cidrs":"127.0.0.1"}"""));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        using var read = await admin.GetAsync($"/api/auth/users/{id}");
        Assert.Contains("\"allowed_login_cidrs\":\"127.0.0.1/32\"", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var bob = await host.SessionClientAsync("bob", "long-enough"); // 127.0.0.1/32 still lets the test client in
    }

    [Fact]
    public async Task System_info_lists_versions_in_upstreams_four_categories()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();
        using var info = JsonDocument.Parse(await admin.GetStringAsync("/api/system/info"));
        var items = info.RootElement.GetProperty("versions").GetProperty("items").EnumerateArray()
            .Select(i => (Name: i.GetProperty("name").GetString()!, Category: i.GetProperty("category").GetString()!,
                Version: i.GetProperty("version").GetString()!))
            .ToList();
        Assert.Equal(["Application", "Library", "OS", "Service"], items.Select(i => i.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(items, i => i is { Name: "LightNVR", Category: "Application" } && i.Version == ServerInfo.Version);
        Assert.Contains(items, i => i is { Name: ".NET runtime", Category: "Library" } && i.Version == Environment.Version.ToString());
        var sqlite = Assert.Single(items, i => i.Name == "SQLite");
        Assert.Matches(@"^3\.\d+\.\d+$", sqlite.Version);
        Assert.Contains(items, i => i is { Name: "Kernel", Category: "OS" } && i.Version.Length > 0);
    }

    [Fact]
    public async Task Forwarded_for_and_proto_are_believed_only_from_a_trusted_proxy()
    {
        await using var host = await TestServerHost.StartAsync(full: true, configure: c => c with { Web = c.Web with { TrustedProxyCidrs = "127.0.0.1" } });
        using var viaProxy = host.Client();
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.50");
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var login = await viaProxy.PostAsync("/api/auth/login", TestServerHost.Json(
            $$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase); // the proxy spoke https to the browser
        var token = cookie["session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        using var sessions = new HttpRequestMessage(HttpMethod.Get, "/api/auth/sessions");
        sessions.Headers.Add("Cookie", "session=" + token);
        using var list = await host.Client().SendAsync(sessions);
        Assert.Contains("\"ip_address\":\"203.0.113.50\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The same headers from a peer that is not a trusted proxy are ignored: plain http, the socket's address.
        await using var other = await TestServerHost.StartAsync(full: true, configure: c => c with { Web = c.Web with { TrustedProxyCidrs = "192.0.2.0/24" } });
        using var direct = other.Client();
        direct.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.51");
        direct.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var plain = await direct.PostAsync("/api/auth/login", TestServerHost.Json(
            $$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        var plainCookie = plain.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("session=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", plainCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_locked_address_gets_429_with_retry_after_on_every_route_until_an_admin_clears_it()
    {
        await using var host = await TestServerHost.StartAsync(full: true, configure: c => c with { Web = c.Web with { TrustedProxyCidrs = "127.0.0.1/32" } });
        using var sprayer = From(host, host.Client(), "203.0.113.9");
        for (var i = 0; i < 5 * LoginRateLimiter.AddressCeilingFactor; i++)
        {
            using var failed = await sprayer.PostAsync("/api/auth/login", TestServerHost.Json($$"""{"username":"u{{i}}","password":"wrong"}"""));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        // The admin behind the same address, with the right password over Basic: 429 with Retry-After, never a 401,
        // also on routes that let anonymous callers in and would answer 401 themselves.
        using var adminThere = From(host, host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword), "203.0.113.9");
        foreach (var path in new[] { "/api/system/info", "/api/auth/verify", "/api/metrics" })
        {
            using var limited = await adminThere.GetAsync(path);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("300", limited.Headers.GetValues("Retry-After").Single());
            Assert.StartsWith("""{"error":"Too many failed login attempts; try again in""", await limited.Content.ReadAsStringAsync(),
                StringComparison.Ordinal);
        }
        // Brute-force protection kept: the admin's session from elsewhere works and clears the address.
        using var adminElsewhere = From(host, host.Client(), "192.0.2.20");
        using var login = await adminElsewhere.PostAsync("/api/auth/login", TestServerHost.Json(
            $$"""{"username":"admin","password":"{{TestServerHost.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var clear = await adminElsewhere.PostAsync("/api/auth/login-lockout/clear", TestServerHost.Json("""{"address":"203.0.113.9"}"""));
        Assert.Contains("\"cleared\":true", await clear.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await adminThere.GetAsync("/api/system/info")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminThere.GetAsync("/api/auth/verify")).StatusCode);
    }

    private static HttpClient From(TestServerHost host, HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
