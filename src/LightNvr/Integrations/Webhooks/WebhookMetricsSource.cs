using System.Globalization;
using LightNvr.Metrics;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// Webhooks in <c>GET /api/metrics</c> (docs/webhooks.md, docs/metrics.md): per hook id the outcomes since start, and
/// the two places a change can be lost (the dispatcher's full queue, a hook's full pending queue). No stream label:
/// a hook is configuration, not a stream. Reads counters only.
/// </summary>
public sealed class WebhookMetricsSource(WebhookSender sender, WebhookDispatcher dispatcher) : IMetricsSource
{
    public void Collect(MetricsScrape scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var w = scrape.Writer;
        var hooks = sender.PerHook;
        w.Family("lightnvr_webhook_deliveries_total", MetricType.Counter,
            "Webhook attempts by outcome since start: delivered (2xx), retry (failed, scheduled again), failed (gave up).");
        foreach (var h in hooks)
        {
            var id = h.Hook.ToString(CultureInfo.InvariantCulture);
            w.Sample("hook", id, "result", "delivered", h.Delivered);
            w.Sample("hook", id, "result", "retry", h.Retried);
            w.Sample("hook", id, "result", "failed", h.Failed);
        }
        w.Family("lightnvr_webhook_changes_dropped_total", MetricType.Counter,
            "Event changes not queued for webhooks because the in-memory queue was full.");
        w.Sample(dispatcher.Dropped);
        w.Family("lightnvr_webhook_pending_dropped_total", MetricType.Counter,
            "Pending webhook deliveries dropped because their hook's queue was full.");
        w.Sample(sender.DroppedQueueFull);
        w.Family("lightnvr_webhook_sends_in_flight", MetricType.Gauge, "Webhook requests in flight now.");
        w.Sample(sender.InFlight);
    }
}
