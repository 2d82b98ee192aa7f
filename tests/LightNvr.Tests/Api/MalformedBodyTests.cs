using System.Net;
using System.Text;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Tests.Api;

/// <summary>
/// Every POST/PUT/PATCH route of the whole server, taken from its route table (so a new route is covered without editing
/// this file), gets malformed bodies: duplicate keys, invalid UTF-8, too deep, not an object, an oversized or broken
/// form. Each must be refused with a 4xx (400/413, or 401/403/404 when the route refuses earlier; a form login's
/// redirect back to the login page with an error counts too), never a 500.
/// </summary>
public sealed class MalformedBodyTests
{
    /// <summary>Routes that stop the host: answered by ServerProcessTests, never here.</summary>
    private static readonly HashSet<string> Skipped = ["/api/system/restart", "/api/system/shutdown"];

    /// <summary>Routes that read no body: any non-5xx answer is right for them (usually 200).</summary>
    private static readonly HashSet<string> Bodiless =
    [
        "/api/system/logs/clear", "/api/recordings/sync", "/api/auth/logout", "/api/auth/users/1/totp/setup",
        "/api/auth/users/1/api-key", "/api/auth/users/1/login-lockout/clear", "/go2rtc/api/streams", "/api/system/backup",
    ];

    private static readonly int[] Refusals = [400, 401, 403, 404, 413];

    public static TheoryData<string, string> Bodies() => new()
    {
        { "duplicate keys", "application/json" },
        { "nested duplicate keys", "application/json" },
        { "invalid UTF-8", "application/json" },
        { "too deep", "application/json" },
        { "not an object", "application/json" },
        { "a string", "application/json" },
        { "oversized form", "application/x-www-form-urlencoded" },
        { "form key too long", "application/x-www-form-urlencoded" },
        { "form invalid UTF-8", "application/x-www-form-urlencoded" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Every_body_route_refuses_a_malformed_body_with_a_4xx(string kind, string contentType)
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using var anonymous = host.Client();
        var routes = Routes(host.App);
        Assert.Contains("/api/auth/login", routes);
        Assert.Contains("/api/settings", routes);
        Assert.True(routes.Count >= 25, $"only {routes.Count} body routes found: {string.Join(", ", routes)}");

        var failures = new List<string>();
        foreach (var (path, method) in routes.SelectMany(p => Methods(host.App, p).Select(m => (p, m))))
        {
            foreach (var client in new[] { admin, anonymous })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(kind, contentType) };
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                // A form login is refused the way upstream's login page expects: a redirect back to it with an error.
                var loginPage = status == 302 && response.Headers.Location?.OriginalString.StartsWith("/login.html?error=",
                    StringComparison.Ordinal) == true;
                var ok = Refusals.Contains(status) || loginPage || (Bodiless.Contains(path) && status < 500);
                if (!ok)
                {
                    failures.Add($"{method} {path} ({(client == admin ? "admin" : "anonymous")}): {status} " +
                        await response.Content.ReadAsStringAsync());
                }
                else if (status == 400 && response.Content.Headers.ContentType?.MediaType == "application/json")
                {
                    Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }
        }
        Assert.True(failures.Count == 0, kind + ":\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Login_with_duplicate_keys_or_invalid_utf8_is_a_400_naming_the_problem()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var client = host.Client();
        foreach (var kind in new[] { "duplicate keys", "invalid UTF-8" })
        {
            using var response = await client.PostAsync("/api/auth/login", Body(kind, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(kind == "duplicate keys" ? "duplicate" : "UTF-8", await response.Content.ReadAsStringAsync(),
                StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_oversized_form_login_is_a_413()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var client = host.Client();
        using var response = await client.PostAsync("/api/auth/login", Body("oversized form", "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>Paths of every POST/PUT/PATCH route with its parameters filled in ("1" for ids, "test" otherwise).</summary>
    private static List<string> Routes(WebApplication app) =>
        Endpoints(app).Where(e => Methods(e).Any()).Select(e => Path(e.RoutePattern)).Distinct().Order().ToList();

    private static IEnumerable<string> Methods(WebApplication app, string path) =>
        Endpoints(app).Where(e => Path(e.RoutePattern) == path).SelectMany(Methods).Distinct();

    private static IEnumerable<string> Methods(RouteEndpoint e) =>
        (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT" or "PATCH");

    private static IEnumerable<RouteEndpoint> Endpoints(WebApplication app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !Skipped.Contains(Path(e.RoutePattern)));

    private static string Path(RoutePattern pattern) => "/" + string.Join("/", pattern.PathSegments.Select(s =>
        string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart { Name: "id" } => "1",
            RoutePatternParameterPart => "test",
            _ => "",
        }))));

    private static ByteArrayContent Body(string kind, string contentType)
    {
        var bytes = kind switch
        {
            "duplicate keys" => Encoding.UTF8.GetBytes(
                """{"username":"admin","username":"x","password":"p","name":"a","name":"b","code":"1","code":"2"}"""),
            "nested duplicate keys" => Encoding.UTF8.GetBytes("""{"ids":[1],"filter":{"a":1,"a":2},"tags":{"x":1,"x":2}}"""),
            "invalid UTF-8" => [.. U("{\"username\":\"a"), 0xFF, 0xFE, .. U("\",\"password\":\"p\",\"name\":\"n"), 0xC3,
                .. U("\",\"code\":\"1\",\"url\":\"rtsp://x/"), 0xFF, .. U("\"}")],
            "too deep" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" +
                new string('}', 200)),
            "not an object" => Encoding.UTF8.GetBytes("[1,2,3]"),
            "a string" => Encoding.UTF8.GetBytes("\"admin\""),
            "oversized form" => Encoding.ASCII.GetBytes("username=admin&password=" + new string('x', 5 * 1024 * 1024)),
            "form key too long" => Encoding.ASCII.GetBytes("username=admin&password=p&" + new string('k', 4096) + "=1"),
            "form invalid UTF-8" => [.. Encoding.ASCII.GetBytes("username=a%FF%FE&password=p"), 0xFF],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
}
