using System.Net;
using System.Text.Json;
using LightNvr.Tests.Integrations.Webhooks;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Webhooks;

/// <summary>
/// <c>/api/webhooks</c> on the whole server: create, read (the secret shows only as "set"), update, the signed test
/// request to a real receiver and its log, delete; every bad input a 400 that says what is wrong, the server's own
/// address among them; only admins get in (the authorization matrix covers every role).
/// </summary>
public sealed class WebhookApiTests
{
    private const string Secret = "api-test-secret-0123456789";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Crud_test_and_log_never_show_the_secret()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, host.Time.GetUtcNow);
        using var admin = await host.SessionClientAsync();
        var url = new Uri(receiver.BaseAddress, "/ha/webhook").ToString();

        using var created = await admin.PostAsync("/api/webhooks", TestServerHost.Json(
            $$"""{"name":"Home Assistant","url":"{{url}}","events":["start","end"],"streams":["porch"],"secret":"{{Secret}}"}"""));
        var hook = await JsonAsync(created, HttpStatusCode.Created);
        var id = hook.GetProperty("id").GetInt64();
        Assert.Equal("set", hook.GetProperty("secret").GetString());
        Assert.Equal(url, hook.GetProperty("url").GetString());
        Assert.True(hook.GetProperty("enabled").GetBoolean());

        var list = await admin.GetStringAsync("/api/webhooks");
        var one = await admin.GetStringAsync($"/api/webhooks/{id}");
        Assert.DoesNotContain(Secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, one, StringComparison.Ordinal);
        Assert.Equal(["start", "end"], JsonDocument.Parse(one).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["porch"], JsonDocument.Parse(one).RootElement.GetProperty("streams").EnumerateArray().Select(e => e.GetString()));

        using var tested = await admin.PostAsync($"/api/webhooks/{id}/test", null);
        var test = await JsonAsync(tested, HttpStatusCode.OK);
        Assert.True(test.GetProperty("success").GetBoolean(), test.ToString());
        Assert.Equal(200, test.GetProperty("status").GetInt32());
        var request = Assert.Single(receiver.Requests);
        Assert.True(request.Verified);
        Assert.Equal("test", request.Event);
        Assert.Equal("test", JsonDocument.Parse(request.Body).RootElement.GetProperty("type").GetString());

        var after = JsonDocument.Parse(await admin.GetStringAsync($"/api/webhooks/{id}")).RootElement;
        Assert.Equal(200, after.GetProperty("last_status").GetInt32());
        Assert.Equal(host.Time.GetUtcNow().ToUnixTimeSeconds(), after.GetProperty("last_success_at").GetInt64());
        var log = JsonDocument.Parse(await admin.GetStringAsync($"/api/webhooks/{id}/deliveries")).RootElement.GetProperty("deliveries");
        var entry = Assert.Single(log.EnumerateArray());
        Assert.Equal("delivered", entry.GetProperty("state").GetString());
        Assert.Equal("test", entry.GetProperty("type").GetString());

        // A partial update keeps the rest; a new secret is used from then on and is not shown either.
        using var updated = await admin.PutAsync($"/api/webhooks/{id}", TestServerHost.Json(
            """{"enabled":false,"streams":[],"secret":"a-brand-new-secret-value"}"""));
        var changed = await JsonAsync(updated, HttpStatusCode.OK);
        Assert.False(changed.GetProperty("enabled").GetBoolean());
        Assert.Empty(changed.GetProperty("streams").EnumerateArray());
        Assert.Equal("Home Assistant", changed.GetProperty("name").GetString());
        Assert.DoesNotContain("a-brand-new-secret-value", changed.ToString(), StringComparison.Ordinal);

        using var deleted = await admin.DeleteAsync($"/api/webhooks/{id}");
        await JsonAsync(deleted, HttpStatusCode.OK);
        using var gone = await admin.GetAsync($"/api/webhooks/{id}");
        Assert.Equal("Webhook not found", (await JsonAsync(gone, HttpStatusCode.NotFound)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"url":"http://192.0.2.1/h"}""", "'secret' is required")]
    [InlineData("""{"secret":"0123456789abcdef"}""", "'url' is required")]
    [InlineData("""{"url":"ftp://192.0.2.1/h","secret":"0123456789abcdef"}""", "absolute http:// or https:// URL")]
    [InlineData("""{"url":"not a url","secret":"0123456789abcdef"}""", "absolute http:// or https:// URL")]
    [InlineData("""{"url":"http://u:p@192.0.2.1/h","secret":"0123456789abcdef"}""", "must not contain user:password@")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"short"}""", "'secret' must be 16–256 characters")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"0123456789abcdef","events":[]}""", "at least one of start, update, end")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"0123456789abcdef","events":["begin"]}""", "unknown kind 'begin'")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"0123456789abcdef","events":"start"}""", "Field 'events' must be an array of strings")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"0123456789abcdef","streams":[1]}""", "Field 'streams' must be an array of strings")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"0123456789abcdef","streams":["a,b"]}""", "is not a stream name")]
    [InlineData("""{"url":"http://192.0.2.1/h","secret":"0123456789abcdef","enabled":"yes"}""", "Field 'enabled' must be a boolean")]
    [InlineData("""{"url":42,"secret":"0123456789abcdef"}""", "Field 'url' must be a string")]
    [InlineData("""[1]""", "Invalid JSON")]
    public async Task Bad_input_is_a_400_saying_what_is_wrong(string body, string message)
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();

        using var response = await admin.PostAsync("/api/webhooks", TestServerHost.Json(body));

        var error = (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("error").GetString();
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(await admin.GetStringAsync("/api/webhooks")).RootElement.GetProperty("webhooks").EnumerateArray());
    }

    [Fact]
    public async Task A_hook_at_the_servers_own_address_is_refused()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();
        var own = new Uri(host.BaseAddress, "/api/motion/trigger");
        var viaLocalhost = new UriBuilder(own) { Host = "localhost" }.Uri;

        foreach (var url in new[] { own, viaLocalhost })
        {
            using var response = await admin.PostAsync("/api/webhooks", TestServerHost.Json(
                $$"""{"url":"{{url}}","secret":"0123456789abcdef"}"""));
            Assert.Equal("'url': the target is this NVR's own API",
                (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
        }
        using var bad = await admin.GetAsync("/api/webhooks/abc");
        Assert.Equal("Invalid webhook ID", (await JsonAsync(bad, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
    }
}
