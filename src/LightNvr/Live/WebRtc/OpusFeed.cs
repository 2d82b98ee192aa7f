using System.Threading.Channels;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// One WebRTC viewer's share of its stream's <see cref="OpusTranscoder"/>: a short queue of Opus packets (the oldest
/// dropped when the viewer falls behind, never the transcoder stalled). Disposing it lets the transcoder go when it
/// was the last viewer.
/// </summary>
public sealed class OpusFeed : IDisposable
{
    /// <summary>Packets queued per viewer: 50 × 20 ms = 1 s of audio, beyond which a viewer is late and loses the oldest.</summary>
    public const int MaxQueuedPackets = 50;

    private readonly Channel<OpusPacket> _queue = Channel.CreateBounded<OpusPacket>(
        new BoundedChannelOptions(MaxQueuedPackets) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Action<OpusFeed> _release;
    private int _disposed;

    internal OpusFeed(Action<OpusFeed> release) => _release = release;

    public ChannelReader<OpusPacket> Reader => _queue.Reader;

    internal void Offer(OpusPacket packet) => _queue.Writer.TryWrite(packet);

    internal void Complete() => _queue.Writer.TryComplete();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _release(this);
        }
    }
}
