using LightNvr.Data;
using LightNvr.Integrations.Webhooks;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>The backoff schedule and what each response makes of a delivery (<see cref="WebhookSender.Outcome"/>).</summary>
public sealed class WebhookRetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Delays_double_from_five_seconds_up_to_an_hour()
    {
        var delays = Enumerable.Range(1, 13).Select(n => (int)WebhookRetryPolicy.Delay(n).TotalSeconds).ToArray();

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600], delays);
        Assert.Equal(TimeSpan.FromHours(1), WebhookRetryPolicy.Delay(1000));
        Assert.Equal(TimeSpan.FromSeconds(8715), WebhookRetryPolicy.TotalRetryTime()); // ~2.4 h from first to last attempt
    }

    [Fact]
    public void Retry_after_is_honoured_when_longer_and_capped_at_an_hour()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), WebhookRetryPolicy.Delay(1, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(120), WebhookRetryPolicy.Delay(1, TimeSpan.FromSeconds(120)));
        Assert.Equal(TimeSpan.FromHours(1), WebhookRetryPolicy.Delay(1, TimeSpan.FromDays(2)));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(408, true)]
    [InlineData(425, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    public void Only_no_response_throttling_and_server_errors_are_retried(int status, bool retryable)
    {
        Assert.Equal(retryable, WebhookRetryPolicy.IsRetryable(status));
    }

    [Fact]
    public void A_failed_attempt_is_pending_again_at_the_backoff_until_the_attempts_run_out()
    {
        var failed = new WebhookResponse(500, false, true, "HTTP 500");

        var third = WebhookSender.Outcome(failed, 3, Now, 12);
        Assert.Equal(WebhookDeliveryState.Pending, third.State);
        Assert.Equal(Now.AddSeconds(20).ToUnixTimeMilliseconds(), third.NextAttemptMs);
        Assert.Equal(500, third.Status);

        var last = WebhookSender.Outcome(failed, WebhookRetryPolicy.MaxAttempts, Now, 12);
        Assert.Equal(WebhookDeliveryState.Failed, last.State);
        Assert.Contains("gave up after 12 attempts", last.Error, StringComparison.Ordinal);

        var refused = WebhookSender.Outcome(new WebhookResponse(404, false, false, "HTTP 404"), 1, Now, 3);
        Assert.Equal(WebhookDeliveryState.Failed, refused.State);

        var ok = WebhookSender.Outcome(new WebhookResponse(204, true, false, null), 2, Now, 3);
        Assert.Equal(WebhookDeliveryState.Delivered, ok.State);
        Assert.Null(ok.Error);
    }
}
