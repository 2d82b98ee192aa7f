using System.Threading.Channels;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// Messages waiting for the broker, oldest first. Bounded: when full, the oldest is dropped and counted
/// (<see cref="Dropped"/>), so a broker that is away for hours costs at most <see cref="Capacity"/> messages of memory
/// and never slows the event loop (<see cref="Enqueue"/> takes a lock for a few instructions, never waits). One reader
/// (the connection's pump) takes them in order.
/// </summary>
public sealed class MqttOutbox
{
    /// <summary>
    /// Default capacity: an hour-long broker outage with 64 cameras starting and ending an event a minute each is
    /// ~7,700 event messages; a few KB each keeps this under ~20 MB. Older ones are the least useful and go first.
    /// </summary>
    public const int MaxQueued = 8192;

    private readonly Queue<MqttMessage> _queue = new();
    private readonly Lock _lock = new();
    private readonly Channel<byte> _doorbell = Channel.CreateBounded<byte>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _dropped;
    private long _enqueued;

    public MqttOutbox(int capacity = MaxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Messages dropped because the outbox was full (oldest first).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Adds a message; when full, drops the oldest. Never blocks.</summary>
    public void Enqueue(MqttMessage message)
    {
        lock (_lock)
        {
            if (_queue.Count >= Capacity)
            {
                _queue.Dequeue();
                _dropped++;
            }
            _queue.Enqueue(message);
            _enqueued++;
        }
        Wake();
    }

    public bool TryDequeue(out MqttMessage message)
    {
        lock (_lock)
        {
            return _queue.TryDequeue(out message!);
        }
    }

    /// <summary>Wakes the reader (a message arrived, or the connection changed).</summary>
    public void Wake() => _doorbell.Writer.TryWrite(0);

    /// <summary>Waits until <see cref="Wake"/> was called since the last wait (at once if it was).</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        await _doorbell.Reader.WaitToReadAsync(ct).ConfigureAwait(false);
        _doorbell.Reader.TryRead(out _);
    }
}
