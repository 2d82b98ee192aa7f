using System.Collections.Concurrent;

namespace LightNvr.Restream;

/// <summary>The <see cref="PublishPoint"/> of each publish-mode stream, by stream name (created on first use).</summary>
public sealed class PublishRegistry
{
    private readonly ConcurrentDictionary<string, PublishPoint> _points = new(StringComparer.Ordinal);

    public PublishPoint Get(string streamName) => _points.GetOrAdd(streamName, n => new PublishPoint(n));
}
