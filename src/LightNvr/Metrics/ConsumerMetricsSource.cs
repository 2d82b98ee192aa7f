using LightNvr.Cameras;
using LightNvr.Live;

namespace LightNvr.Metrics;

/// <summary>
/// The fan-out (D1) as metrics: per stream and consumer kind (<c>recorder</c>, <c>rtsp</c>, <c>mse/fmp4</c>, <c>mp4</c>,
/// <c>hls/fmp4</c>, <c>jpeg</c>) the frames queued and dropped by the hub's bounded queues, and live viewers per mode.
/// Consumers of one kind are summed (a viewer's address is no label: it would make a series per connection). The
/// counters are those of the consumers connected now, so a kind's total falls when one leaves; Prometheus'
/// <c>rate()</c> reads such a fall as a reset.
/// </summary>
public sealed class ConsumerMetricsSource(CameraService cameras, LiveConsumers viewers) : IMetricsSource
{
    public void Collect(MetricsScrape scrape)
    {
        var consumers = new List<(string Stream, string Consumer, long Frames, long Drops, long Queued)>();
        var modes = new List<(string Stream, string Mode, int Viewers)>();
        foreach (var camera in cameras.Cameras.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (!scrape.Shows(camera.Name))
            {
                continue;
            }
            foreach (var kind in camera.Hub.SubscriptionStats.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                consumers.Add((camera.Name, kind.Key, kind.Sum(s => s.Frames), kind.Sum(s => s.Drops), kind.Sum(s => s.Queued)));
            }
            foreach (var mode in viewers.For(camera.Name).GroupBy(v => v.FormatName, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                modes.Add((camera.Name, mode.Key, mode.Count()));
            }
        }

        var w = scrape.Writer;
        w.Family("lightnvr_consumer_frames_total", MetricType.Counter, "Frames the hub queued for the consumers of a kind now connected to a stream.");
        foreach (var c in consumers)
        {
            w.Sample("stream", c.Stream, "consumer", c.Consumer, c.Frames);
        }
        w.Family("lightnvr_consumer_frames_dropped_total", MetricType.Counter,
            "Frames dropped for the consumers of a kind now connected (queue full, or skipped until the next keyframe).");
        foreach (var c in consumers)
        {
            w.Sample("stream", c.Stream, "consumer", c.Consumer, c.Drops);
        }
        w.Family("lightnvr_consumer_queued_frames", MetricType.Gauge, "Frames waiting in the consumers' queues now.");
        foreach (var c in consumers)
        {
            w.Sample("stream", c.Stream, "consumer", c.Consumer, c.Queued);
        }
        w.Family("lightnvr_live_viewers", MetricType.Gauge, "Live viewers now watching, by mode (mse/fmp4, mp4, hls/fmp4, jpeg).");
        foreach (var m in modes)
        {
            w.Sample("stream", m.Stream, "mode", m.Mode, m.Viewers);
        }
    }
}
