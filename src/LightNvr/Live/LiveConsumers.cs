using System.Collections.Concurrent;

namespace LightNvr.Live;

/// <summary>Every live viewer now connected, for the streams JSON and the health report. Thread-safe.</summary>
public sealed class LiveConsumers
{
    private readonly ConcurrentDictionary<long, LiveConsumer> _consumers = new();
    private long _dropsOfEnded;

    public IReadOnlyList<LiveConsumer> For(string stream) =>
        _consumers.Values.Where(c => c.Stream == stream).OrderBy(c => c.Id).ToArray();

    public int Count => _consumers.Count;

    /// <summary>Drops of every viewer since start (ended viewers included).</summary>
    public long TotalDrops => Interlocked.Read(ref _dropsOfEnded) + _consumers.Values.Sum(c => c.Drops);

    /// <summary>Ends every viewer of <paramref name="stream"/> (privacy mode): their hub subscriptions end, so their loops do.</summary>
    public void EndFor(string stream)
    {
        foreach (var consumer in For(stream))
        {
            consumer.Subscription?.Dispose();
        }
    }

    /// <summary>Adds a viewer; dispose the result when it leaves.</summary>
    public IDisposable Add(LiveConsumer consumer)
    {
        _consumers[consumer.Id] = consumer;
        return new Registration(this, consumer);
    }

    private sealed class Registration(LiveConsumers owner, LiveConsumer consumer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && owner._consumers.TryRemove(consumer.Id, out _))
            {
                Interlocked.Add(ref owner._dropsOfEnded, consumer.Drops);
            }
        }
    }
}
