using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace LightNvr.Media.Streaming;

/// <summary>
/// One consumer of a <see cref="StreamHub"/>: a bounded queue of shared, immutable <see cref="MediaFrame"/>s.
/// </summary>
/// <remarks>
/// Thread-safety: the hub writes from the source's receive loop (one writer, under the hub's lock); one consumer
/// reads (<see cref="ReadAllAsync"/> or <see cref="TryRead"/>, single reader). Stats may be read from any thread.
/// Drop policy: when the queue is full (by count or bytes) the frame is dropped and counted and the subscription
/// skips every frame until the next video keyframe, so the consumer sees a decodable stream with a gap rather than
/// corrupt pictures; the source and the other consumers never wait. Disposing detaches it from the hub.
/// </remarks>
public sealed class HubSubscription : IDisposable
{
    /// <summary>
    /// Default queue length in frames: about 5 s of 25 fps video plus AAC at 16–48 kHz; the bytes bound below is
    /// what protects memory, this only bounds the queue's own bookkeeping.
    /// </summary>
    public const int DefaultCapacity = 512;

    /// <summary>
    /// Bytes a consumer may have queued: 2 × <see cref="GopCache.MaxBytes"/>, so a new consumer can take the whole
    /// cached GOP and the next one before it must drop. Per-camera memory target (2.5 MB) applies to recorders,
    /// which keep their queue near empty.
    /// </summary>
    public const long MaxQueuedBytes = 2L * GopCache.MaxBytes;

    private readonly StreamHub _hub;
    private readonly Channel<MediaFrame> _queue;
    private long _queuedBytes;
    private long _frames;
    private long _bytes;
    private long _drops;
    private long _read;
    private bool _waitForKeyFrame;
    private bool _countSkips;
    private int _disposed;

    internal HubSubscription(StreamHub hub, string name, string? remote, int capacity, bool waitForKeyFrame,
        bool acceptsBatches)
    {
        _hub = hub;
        Name = name;
        Remote = remote;
        AcceptsBatches = acceptsBatches;
        _waitForKeyFrame = waitForKeyFrame;
        _queue = Channel.CreateBounded<MediaFrame>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait, // never used to wait: the hub only calls TryWrite
        });
    }

    /// <summary>What the consumer is, e.g. <c>recorder</c> or <c>mse</c>.</summary>
    public string Name { get; }

    /// <summary>The remote peer (address:port) for network consumers, or null.</summary>
    public string? Remote { get; }

    /// <summary>The consumer takes frames in bursts just as well as one by one (see <see cref="StreamHub.AcceptsBatchedDelivery"/>).</summary>
    public bool AcceptsBatches { get; }

    /// <summary>The stream this subscription reads.</summary>
    public string StreamName => _hub.Name;

    /// <summary>The source's current tracks (empty until the source has connected once).</summary>
    public IReadOnlyList<MediaTrack> Tracks => _hub.Tracks;

    public SubscriptionStats Stats => new(Name, Remote, Interlocked.Read(ref _frames), Interlocked.Read(ref _bytes),
        Interlocked.Read(ref _drops), Math.Max(0, Interlocked.Read(ref _frames) - Interlocked.Read(ref _read)));

    /// <summary>Frames in order until the subscription is disposed or the hub completes.</summary>
    public async IAsyncEnumerable<MediaFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out var frame))
            {
                yield return frame;
            }
        }
    }

    /// <summary>Waits until a frame is queued; false once the subscription is closed and drained.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        _queue.Reader.WaitToReadAsync(cancellationToken);

    public bool TryRead(out MediaFrame frame)
    {
        if (_queue.Reader.TryRead(out frame!))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Data.Length);
            Interlocked.Increment(ref _read);
            return true;
        }

        return false;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _hub.Remove(this);
            _queue.Writer.TryComplete();
        }
    }

    /// <summary>Called by the hub only (one writer, under the hub's lock). Never blocks.</summary>
    internal void Offer(MediaFrame frame, bool streamHasVideo)
    {
        var isVideo = frame.Track.Kind == MediaKind.Video;
        if (_waitForKeyFrame)
        {
            if (!streamHasVideo || (isVideo && frame.IsKeyFrame))
            {
                _waitForKeyFrame = false;
                _countSkips = false;
            }
            else
            {
                if (_countSkips)
                {
                    Interlocked.Increment(ref _drops);
                }

                return;
            }
        }

        var length = frame.Data.Length;
        if (Interlocked.Read(ref _queuedBytes) + length > MaxQueuedBytes || !_queue.Writer.TryWrite(frame))
        {
            Interlocked.Increment(ref _drops);
            _waitForKeyFrame = streamHasVideo;
            _countSkips = true;
            return;
        }

        Interlocked.Add(ref _queuedBytes, length);
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, length);
    }

    /// <summary>
    /// After a source (re)connects: start again at the next keyframe. Frames skipped until then are not drops (the
    /// consumer lost nothing it could decode), unless the queue overflowed.
    /// </summary>
    internal void ResetToKeyFrame(bool streamHasVideo) => _waitForKeyFrame = streamHasVideo;

    internal void Complete() => _queue.Writer.TryComplete();
}
