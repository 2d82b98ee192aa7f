using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Metrics;
using LightNvr.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Tests.Metrics;

/// <summary>
/// <c>GET /api/metrics</c> and <c>GET /api/health/hls</c> on the whole server (TestServerHost full): the three
/// <c>[web] metrics_auth</c> modes, the bearer token, the tag filter, a failing source.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const string Token = "metrics-token-0123456789";

    [Fact]
    public async Task Viewer_mode_wants_a_signed_in_user_or_the_token()
    {
        await using var host = await StartAsync(c => c with { Web = c.Web with { MetricsToken = Token } });
        using var anonymous = host.Client();
        using var denied = await anonymous.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Contains("Bearer", denied.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = Bearer(host, "not-the-token-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/metrics")).StatusCode);

        using var viewer = await host.SessionClientAsync("victor", "victor-password");
        var text = await ScrapeAsync(viewer);
        Assert.Contains("lightnvr_stream_up{stream=\"porch\"} ", text, StringComparison.Ordinal);
        Assert.Contains("lightnvr_stream_up{stream=\"garage\"} ", text, StringComparison.Ordinal);
        Assert.Contains("lightnvr_instance_streams_configured 2\n", text, StringComparison.Ordinal);

        using var token = Bearer(host, Token);
        Assert.Contains("lightnvr_stream_up{stream=\"porch\"} ", await ScrapeAsync(token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_limited_viewer_sees_no_series_of_other_streams()
    {
        await using var host = await StartAsync();
        using var gina = await host.SessionClientAsync("gina", "gina-password");
        var text = await ScrapeAsync(gina);
        Assert.Contains("lightnvr_stream_up{stream=\"garage\"} ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("porch", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_mode_takes_only_the_token()
    {
        await using var host = await StartAsync(c => c with { Web = c.Web with { MetricsAuth = "token", MetricsToken = Token } });
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/metrics")).StatusCode);
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/metrics")).StatusCode);
        using var token = Bearer(host, Token);
        Assert.Contains("lightnvr_stream_up{stream=\"garage\"} ", await ScrapeAsync(token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_mode_answers_anyone_as_upstream()
    {
        await using var host = await StartAsync(c => c with { Web = c.Web with { MetricsAuth = "none" } });
        using var anonymous = host.Client();
        var text = await ScrapeAsync(anonymous);
        Assert.Contains("lightnvr_stream_up{stream=\"porch\"} ", text, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_collection_count_total{generation=\"0\"} ", text, StringComparison.Ordinal);
        Assert.Contains("lightnvr_storage_available_bytes ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_source_costs_only_its_own_families()
    {
        await using var host = await StartAsync(c => c with { Web = c.Web with { MetricsAuth = "none" } },
            s => s.AddSingleton<IMetricsSource, FailingSource>());
        using var anonymous = host.Client();
        var text = await ScrapeAsync(anonymous);
        Assert.DoesNotContain("lightnvr_half_written", text, StringComparison.Ordinal);
        Assert.Contains("lightnvr_stream_up{stream=\"porch\"} ", text, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hls_health_has_upstreams_shape_for_anyone()
    {
        await using var host = await StartAsync();
        using var anonymous = host.Client();
        using var response = await anonymous.GetAsync("/api/health/hls");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(["healthy", "status", "watchdogRestartCount", "timestamp"], root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("healthy").GetBoolean());
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(0, root.GetProperty("watchdogRestartCount").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", root.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Metrics_auth_changes_through_the_settings_api_take_effect_at_once_and_are_checked()
    {
        await using var host = await StartAsync();
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/metrics")).StatusCode);

        using var noToken = await admin.PostAsync("/api/settings", TestServerHost.Json("""{"metrics_auth":"token"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("metrics_token", await noToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var open = await admin.PostAsync("/api/settings", TestServerHost.Json("""{"metrics_auth":"none"}"""));
        Assert.True(open.IsSuccessStatusCode, await open.Content.ReadAsStringAsync());
        Assert.Contains("lightnvr_instance_streams_up ", await ScrapeAsync(anonymous), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", "")]
    [InlineData("token", "short")]
    [InlineData("viewer", "short")]
    public void A_missing_or_short_token_is_a_config_error(string mode, string token)
    {
        var config = new LightNvrConfig { Web = new WebOptions { MetricsAuth = mode, MetricsToken = token } };
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.CheckConsistency(config, "test.ini"));
        Assert.Contains("metrics_token", e.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    private static HttpClient Bearer(TestServerHost host, string token)
    {
        var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<TestServerHost> StartAsync(Func<LightNvrConfig, LightNvrConfig>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var host = await TestServerHost.StartAsync(full: true, configure: configure, configureServices: services);
        await host.CreateUserAsync("victor", "victor-password", Role.Viewer);
        var (hash, salt) = host.Service<PasswordHasher>().Hash("gina-password");
        await host.Service<UserStore>().InsertAsync(new UserRecord
        {
            Username = "gina", PasswordHash = hash, Salt = salt, Role = Role.Viewer, AllowedTags = "garage",
        });
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        foreach (var (name, tags) in new[] { ("porch", "front"), ("garage", "garage") })
        {
            // Enabled but not recorded: on demand, so nothing connects to the unreachable address unless watched.
            using var created = await admin.PostAsync("/api/streams", TestServerHost.Json(
                $$"""{"name":"{{name}}","url":"rtsp://127.0.0.1:1/{{name}}","enabled":true,"record":false,"tags":"{{tags}}"}"""));
            Assert.True(created.IsSuccessStatusCode, $"create {name}: {(int)created.StatusCode}");
        }
        return host;
    }

    private sealed class FailingSource : IMetricsSource
    {
        public void Collect(MetricsScrape scrape)
        {
            scrape.Writer.Family("lightnvr_half_written", MetricType.Gauge, "h");
            scrape.Writer.Sample(1);
            throw new InvalidOperationException("broken on purpose");
        }
    }
}
