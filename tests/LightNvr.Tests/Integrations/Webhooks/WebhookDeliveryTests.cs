using System.Net;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Integrations.Webhooks;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>
/// Deliveries to a real receiver (<see cref="WebhookReceiver"/>, Kestrel) that verifies every signature: event changes
/// arrive signed and in order; 500s and timeouts are retried on the backoff schedule (driven by the test clock: the
/// gaps are exactly 5 s and 10 s); a restart in the middle of the retries delivers after the restart, the same
/// delivery with the same body; redirects are followed only to the same host; the NVR's own API is refused even
/// through a DNS name.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "receiver-secret-0123456789";

    [Fact]
    public async Task Event_changes_arrive_signed_in_order_and_only_the_kinds_asked_for()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        var hook = await h.AddHookAsync(new Uri(receiver.BaseAddress, "/hooks/nvr?x=1"), Secret, "start", "end");

        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Start));
        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Update));
        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.End));
        await receiver.WaitForAsync(2);
        await WebhookHarness.EventuallyAsync(async () => (await h.Store.GetAsync(hook))!.LastStatus == 200, "last status");

        var requests = receiver.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.True(r.Verified, $"signature {r.Signature} over {r.Timestamp}.{r.Body}"));
        Assert.All(requests, r => Assert.Equal("/hooks/nvr?x=1", r.Path));
        Assert.All(requests, r => Assert.Equal("application/json; charset=utf-8", r.ContentType));
        Assert.All(requests, r => Assert.Equal(WebhookClient.UserAgent, r.UserAgent));
        Assert.Equal(["event.start", "event.end"], requests.Select(r => r.Event));
        Assert.NotEqual(requests[0].Delivery, requests[1].Delivery);
        using var start = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("event.start", start.RootElement.GetProperty("type").GetString());
        Assert.Equal(1767268800, start.RootElement.GetProperty("occurred_at").GetInt64());
        var e = start.RootElement.GetProperty("event");
        Assert.Equal(7, e.GetProperty("id").GetInt64());
        Assert.Equal("porch", e.GetProperty("stream").GetString());
        Assert.Equal("person", e.GetProperty("label").GetString());
        Assert.True(e.GetProperty("active").GetBoolean());
        using var end = JsonDocument.Parse(requests[1].Body);
        Assert.Equal(1767268805, end.RootElement.GetProperty("occurred_at").GetInt64());
        Assert.False(end.RootElement.GetProperty("event").GetProperty("active").GetBoolean());
        Assert.All(await h.Store.DeliveriesAsync(hook, 10), d => Assert.Equal(WebhookDeliveryState.Delivered, d.State));
        Assert.Equal(2, h.Sender.Delivered);
    }

    [Fact]
    public async Task Server_errors_are_retried_after_5_then_10_seconds()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        receiver.Answer = (n, c) =>
        {
            c.Response.StatusCode = n <= 2 ? 500 : 204;
            return Task.CompletedTask;
        };
        var hook = await h.AddHookAsync(receiver.BaseAddress, Secret);

        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Start));
        var first = await h.AttemptedAsync(hook, 1);
        Assert.Equal(WebhookDeliveryState.Pending, first.State);
        Assert.Equal(500, first.LastStatus);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(5).ToUnixTimeMilliseconds(), first.NextAttemptMs);

        await h.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(4.9));
        await Task.Delay(300); // the sender had time to (wrongly) send early
        Assert.Single(receiver.Requests);
        h.Time.Advance(TimeSpan.FromSeconds(0.1));
        var second = await h.AttemptedAsync(hook, 2);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(10).ToUnixTimeMilliseconds(), second.NextAttemptMs);
        await h.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(10));
        var third = await h.AttemptedAsync(hook, 3);

        Assert.Equal(WebhookDeliveryState.Delivered, third.State);
        var times = receiver.Requests.Select(r => long.Parse(r.Timestamp!)).ToArray();
        Assert.Equal([5, 10], times.Zip(times.Skip(1), (a, b) => b - a));
        Assert.All(receiver.Requests, r => Assert.True(r.Verified)); // each attempt re-signed with its own timestamp
        Assert.Single(receiver.Requests.Select(r => r.Delivery).Distinct()); // one delivery id: receivers can dedupe
        Assert.Equal(2, h.Sender.Retried);
        var text = new System.Text.StringBuilder();
        new WebhookMetricsSource(h.Sender, h.Dispatcher).Collect(
            new LightNvr.Metrics.MetricsScrape(new LightNvr.Metrics.PrometheusTextWriter(text), null, h.Time.GetUtcNow()));
        Assert.Contains($"lightnvr_webhook_deliveries_total{{hook=\"{hook}\",result=\"retry\"}} 2\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains($"lightnvr_webhook_deliveries_total{{hook=\"{hook}\",result=\"delivered\"}} 1\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("lightnvr_webhook_sends_in_flight 0\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_name_the_hook_and_host_never_the_secret_or_the_path_token()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        receiver.Answer = (_, c) =>
        {
            c.Response.StatusCode = 404; // not retryable: one retry-free failure
            return Task.CompletedTask;
        };
        var hook = await h.AddHookAsync(new Uri(receiver.BaseAddress, "/api/webhook/token-a1b2c3"), Secret);
        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Start));
        await h.AttemptedAsync(hook, 1);
        // The attempt row is written before the failure is logged: wait for the line, not only the row.
        await WebhookHarness.EventuallyAsync(() => Task.FromResult(h.Log.Lines.Count > 0), "the failure's log line");

        var line = Assert.Single(h.Log.Lines).Message;
        Assert.Equal($"Webhook {hook} (127.0.0.1): delivery 1 failed: HTTP 404", line);
        Assert.DoesNotContain(Secret, line, StringComparison.Ordinal);
        Assert.DoesNotContain("token-a1b2c3", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_times_out_and_is_retried()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        receiver.Answer = (n, c) => n == 1 ? Task.Delay(Timeout.Infinite, c.RequestAborted) : Task.CompletedTask;
        var hook = await h.AddHookAsync(receiver.BaseAddress, Secret);

        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Start));
        await receiver.WaitForAsync(1);
        h.Time.Advance(WebhookClient.RequestTimeout);
        var first = await h.AttemptedAsync(hook, 1);

        Assert.Equal(WebhookDeliveryState.Pending, first.State);
        Assert.Equal(0, first.LastStatus);
        Assert.Contains("timed out after 10 s", first.LastError, StringComparison.Ordinal);
        await h.AdvanceWhenArmedAsync(WebhookRetryPolicy.FirstDelay);
        var second = await h.AttemptedAsync(hook, 2);
        Assert.Equal(WebhookDeliveryState.Delivered, second.State);
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_retries_delivers_after_the_restart()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        receiver.Answer = (n, c) =>
        {
            c.Response.StatusCode = n <= 2 ? 503 : 200;
            return Task.CompletedTask;
        };
        var hook = await h.AddHookAsync(receiver.BaseAddress, Secret);
        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Start));
        await h.AttemptedAsync(hook, 1);
        await h.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(5));
        var before = await h.AttemptedAsync(hook, 2);
        Assert.Equal(WebhookDeliveryState.Pending, before.State);

        await h.RestartAsync(); // everything built again over the same database file
        await h.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(10));
        var after = await h.AttemptedAsync(hook, 3);

        Assert.Equal(WebhookDeliveryState.Delivered, after.State);
        Assert.Equal(before.Id, after.Id);
        var requests = receiver.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Single(requests.Select(r => r.Body).Distinct());
        Assert.Single(requests.Select(r => r.Delivery).Distinct());
    }

    [Fact]
    public async Task Changes_queued_at_stop_are_kept_and_sent_after_the_restart()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        receiver.Answer = (n, c) => n == 1 ? Task.Delay(Timeout.Infinite, c.RequestAborted) : Task.CompletedTask;
        var hook = await h.AddHookAsync(receiver.BaseAddress, Secret);
        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.Start));
        await receiver.WaitForAsync(1); // in flight, never answered
        h.Dispatcher.OnEvent(WebhookHarness.Change(EventChangeKind.End));

        await h.RestartAsync(); // the request in flight is abandoned, not counted; the end is in the queue

        await receiver.WaitForAsync(3);
        Assert.Equal(["event.start", "event.start", "event.end"], receiver.Requests.Select(r => r.Event));
        await WebhookHarness.EventuallyAsync(async () => (await h.Store.PendingCountAsync(hook)) == 0, "queue emptied");
        Assert.All(await h.Store.DeliveriesAsync(hook, 10), d => Assert.Equal(1, d.Attempts));
    }

    [Fact]
    public async Task Redirects_are_followed_to_the_same_host_only()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, h.Time.GetUtcNow);
        var other = new UriBuilder(receiver.BaseAddress) { Host = "127.0.0.2", Path = "/elsewhere" }.Uri;
        receiver.Answer = (n, c) =>
        {
            switch (c.Request.Path.Value)
            {
                case "/same":
                    c.Response.StatusCode = 307;
                    c.Response.Headers.Location = "/final";
                    break;
                case "/away":
                    c.Response.StatusCode = 302;
                    c.Response.Headers.Location = other.ToString();
                    break;
                default:
                    c.Response.StatusCode = 200;
                    break;
            }
            return Task.CompletedTask;
        };

        var same = await h.Client.SendAsync(new Uri(receiver.BaseAddress, "/same"), Secret, "test", 1, "{}"u8.ToArray(), default);
        var away = await h.Client.SendAsync(new Uri(receiver.BaseAddress, "/away"), Secret, "test", 2, "{}"u8.ToArray(), default);

        Assert.True(same.Delivered);
        Assert.False(away.Delivered);
        Assert.False(away.Retryable);
        Assert.Equal(302, away.Status);
        Assert.Contains("redirect to another host (127.0.0.2) not followed", away.Error, StringComparison.Ordinal);
        Assert.Equal(["/same", "/final", "/away"], receiver.Requests.Select(r => r.Path));
        Assert.All(receiver.Requests, r => Assert.True(r.Verified));
    }

    [Fact]
    public async Task The_own_api_is_refused_by_address_and_through_a_name_that_resolves_to_it()
    {
        // The receiver stands in for the NVR's own web server: the NVR's [web] port is set to the receiver's port.
        await using var receiver = await WebhookReceiver.StartAsync(Secret, () => DateTimeOffset.UtcNow);
        await using var h = await WebhookHarness.StartAsync(c =>
            c with { Web = c.Web with { BindIp = "0.0.0.0", Port = receiver.BaseAddress.Port } });
        var port = receiver.BaseAddress.Port;
        var name = Dns.GetHostName(); // resolves to this machine (127.0.0.1 or an interface address)
        Assert.Contains(await Dns.GetHostAddressesAsync(name), a => IPAddress.IsLoopback(a)
            || System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Any(u => u.Address.Equals(a)));

        var byAddress = await h.Client.SendAsync(new Uri($"http://127.0.0.1:{port}/api/system"), Secret, "test", 1, "{}"u8.ToArray(), default);
        var byName = await h.Client.SendAsync(new Uri($"http://{name}:{port}/api/system"), Secret, "test", 1, "{}"u8.ToArray(), default);

        Assert.False(byAddress.Retryable);
        Assert.Equal(WebhookTargets.OwnApi, byAddress.Error);
        Assert.False(byName.Delivered);
        Assert.False(byName.Retryable);
        Assert.Contains(WebhookTargets.OwnApi, byName.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }
}
