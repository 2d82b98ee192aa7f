namespace LightNvr.Metrics;

/// <summary>One scrape as a source sees it: where to write, which streams the caller may see, and the time.</summary>
/// <param name="Writer">The scrape's text.</param>
/// <param name="AllowedStreams">The streams the caller may see, or null for every stream.</param>
/// <param name="Now">The scrape's time (the injected clock).</param>
public sealed record MetricsScrape(PrometheusTextWriter Writer, IReadOnlySet<string>? AllowedStreams, DateTimeOffset Now)
{
    /// <summary>True when samples of <paramref name="stream"/> may be written for this caller.</summary>
    public bool Shows(string stream) => AllowedStreams is null || AllowedStreams.Contains(stream);
}
