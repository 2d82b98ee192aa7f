using System.Text;

namespace LightNvr.Metrics;

/// <summary>
/// Builds the text of one <c>GET /api/metrics</c>: every <see cref="IMetricsSource"/> in registration order into one
/// <see cref="PrometheusTextWriter"/>. A source that throws is logged and its partial output removed, so one broken
/// subsystem never costs the whole scrape. Holds nothing between scrapes but the text's capacity hint.
/// </summary>
public sealed class MetricsScraper(IEnumerable<IMetricsSource> sources, TimeProvider time, ILogger<MetricsScraper> logger)
{
    /// <summary>Initial capacity of the text: about 8 KB for a handful of cameras; grown to the last scrape's size after.</summary>
    private const int InitialCapacity = 8 * 1024;

    private int _lastLength = InitialCapacity;

    /// <summary>The whole exposition for a caller who may see <paramref name="allowedStreams"/> (null: every stream).</summary>
    public string Scrape(IReadOnlySet<string>? allowedStreams)
    {
        var text = new StringBuilder(Volatile.Read(ref _lastLength));
        var writer = new PrometheusTextWriter(text);
        var scrape = new MetricsScrape(writer, allowedStreams, time.GetUtcNow());
        foreach (var source in sources)
        {
            var length = text.Length;
            var families = writer.Families;
            try
            {
                source.Collect(scrape);
            }
            catch (Exception e)
            {
                writer.Rewind(length, families);
                logger.LogWarning(e, "Metrics source {Type} failed; its families are left out of this scrape", source.GetType().Name);
            }
        }
        Volatile.Write(ref _lastLength, Math.Max(InitialCapacity, text.Length + text.Length / 8));
        return text.ToString();
    }
}
