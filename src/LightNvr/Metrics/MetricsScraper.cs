using System.Buffers;
using System.Text;

namespace LightNvr.Metrics;

/// <summary>
/// Builds the text of one <c>GET /api/metrics</c>: every <see cref="IMetricsSource"/> in registration order into one
/// <see cref="PrometheusTextWriter"/>. A source that throws is logged and its partial output removed, so one broken
/// subsystem never costs the whole scrape. Scrapes run one at a time over one reused text buffer (a scrape takes about
/// a millisecond; two Prometheus servers scraping at once simply queue), and the UTF-8 answer goes into a pooled array.
/// </summary>
public sealed class MetricsScraper(IEnumerable<IMetricsSource> sources, TimeProvider time, ILogger<MetricsScraper> logger)
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private readonly Encoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();

    /// <summary>
    /// The whole exposition, UTF-8, for a caller who may see <paramref name="allowedStreams"/> (null: every stream):
    /// the first <c>Length</c> bytes of an array from <see cref="ArrayPool{T}.Shared"/> that the caller returns.
    /// </summary>
    public (byte[] Buffer, int Length) Scrape(IReadOnlySet<string>? allowedStreams)
    {
        lock (_lock)
        {
            _text.Clear();
            var writer = new PrometheusTextWriter(_text);
            var scrape = new MetricsScrape(writer, allowedStreams, time.GetUtcNow());
            foreach (var source in sources)
            {
                var length = _text.Length;
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
            return Encode();
        }
    }

    /// <summary>The text as a string (tests, tools).</summary>
    public string ScrapeText(IReadOnlySet<string>? allowedStreams)
    {
        var (buffer, length) = Scrape(allowedStreams);
        try
        {
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private (byte[], int) Encode()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(_text.Length));
        _utf8.Reset();
        var written = 0;
        foreach (var chunk in _text.GetChunks())
        {
            _utf8.Convert(chunk.Span, buffer.AsSpan(written), flush: false, out _, out var bytes, out _);
            written += bytes;
        }
        _utf8.Convert([], buffer.AsSpan(written), flush: true, out _, out var last, out _);
        return (buffer, written + last);
    }
}
