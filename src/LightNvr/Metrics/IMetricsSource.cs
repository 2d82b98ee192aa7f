namespace LightNvr.Metrics;

/// <summary>
/// A subsystem that has figures for <c>GET /api/metrics</c>. Asked on every scrape, so <see cref="Collect"/> reads
/// counters already in memory (no I/O, no database, no waiting): keep the counters as <c>long</c> fields updated with
/// <see cref="Interlocked"/> where the work happens, and write them here. Nothing is collected between scrapes.
/// <para>
/// To add one (events, detection, MQTT, ...): implement this in the subsystem's folder, register it with
/// <c>services.AddSingleton&lt;IMetricsSource, MySource&gt;()</c>, and write each family once per scrape, all of its
/// samples together, named <c>lightnvr_&lt;subsystem&gt;_…</c> (counters end in <c>_total</c>, units in the name:
/// <c>_seconds</c>, <c>_bytes</c>). Per-stream samples carry the label <c>stream</c> and are written only when
/// <see cref="MetricsScrape.Shows"/> says so (a tag-limited viewer must not learn other streams' names). A latency
/// is a <see cref="MetricsHistogram"/>. A source that throws is logged and its half-written families are dropped;
/// the rest of the scrape is still answered. docs/metrics.md lists every family: add yours there.
/// </para>
/// </summary>
public interface IMetricsSource
{
    void Collect(MetricsScrape scrape);
}
