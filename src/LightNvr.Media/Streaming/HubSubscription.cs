using System.Runtime.CompilerServices;

namespace LightNvr.Media.Streaming;

/// <summary>
/// One consumer of a <see cref="StreamHub"/>: a bounded queue of shared, immutable <see cref="MediaFrame"/>s.
/// </summary>
/// <remarks>
/// Thread-safety: the hub writes from the source's receive loop (one writer, under the hub's lock); one consumer
/// reads (<see cref="ReadAllAsync"/> or <see cref="TryRead"/>, single reader). Stats may be read from any thread.
/// Wake-ups: a waiting consumer is woken asynchronously (never on the source's thread) at most once per delivery:
/// per frame from <see cref="StreamHub.OnFrame"/>, per burst from <see cref="StreamHub.OnFrames"/>, and with
/// <see cref="DeferWakeUntil"/> only by a delivery that holds a frame it needs (a recorder: once per fragment).
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
    private readonly int _capacity;
    private readonly Lock _queueLock = new();
    private readonly Queue<MediaFrame> _queue = new();
    private TaskCompletionSource<bool>? _waiter;
    private CancellationTokenRegistration _waiterCancellation;
    private bool _completed;
    private long _wakeAtUnixMs = long.MinValue; // see DeferWakeUntil; MinValue: every frame is worth a wake-up
    private bool _wakeDue;
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
        _capacity = capacity;
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
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out var frame))
            {
                yield return frame;
            }
        }
    }

    /// <summary>
    /// Until its next wake-up, the consumer is woken only by a frame that needs it now: a video keyframe, a frame at
    /// or after <paramref name="wallClockUnixMs"/> (<see cref="MediaFrame.WallClockUnixMs"/>), or a queue a quarter
    /// full. Frames queue meanwhile. A recorder sets this to when its current fragment is due: it then wakes once per
    /// fragment instead of once per pacer tick, and its file gets each fragment no later than before.
    /// </summary>
    public void DeferWakeUntil(long wallClockUnixMs)
    {
        lock (_queueLock)
        {
            _wakeAtUnixMs = wallClockUnixMs;
        }
    }

    /// <summary>The consumer is waiting in <see cref="WaitToReadAsync"/> (for tests and diagnostics).</summary>
    public bool IsWaiting
    {
        get
        {
            lock (_queueLock)
            {
                return _waiter is { Task.IsCompleted: false };
            }
        }
    }

    /// <summary>Waits until a frame is queued; false once the subscription is closed and drained.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_queueLock)
        {
            if (_queue.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<bool>(cancellationToken);
            }

            // Asynchronous continuations: the consumer must never run on the source's receive loop.
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiterCancellation.Unregister(); // the last wait's, if it was cancelled
            _waiter = waiter;
            _waiterCancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((TaskCompletionSource<bool>)state!).TrySetCanceled(token), waiter);
            return new ValueTask<bool>(waiter.Task);
        }
    }

    public bool TryRead(out MediaFrame frame)
    {
        lock (_queueLock)
        {
            if (!_queue.TryDequeue(out frame!))
            {
                return false;
            }

            if (_queue.Count == 0)
            {
                _wakeDue = false; // whatever called for a wake-up has been read
            }
        }

        Interlocked.Add(ref _queuedBytes, -frame.Data.Length);
        Interlocked.Increment(ref _read);
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _hub.Remove(this);
            Complete();
        }
    }

    /// <summary>
    /// Called by the hub only (one writer, under the hub's lock). Never blocks. A waiting consumer is not woken until
    /// <see cref="Signal"/>.
    /// </summary>
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
        if (Interlocked.Read(ref _queuedBytes) + length > MaxQueuedBytes || !TryEnqueue(frame))
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

    /// <summary>Wakes the consumer if it waits and frames are queued.</summary>
    internal void Signal()
    {
        TaskCompletionSource<bool>? waiter;
        CancellationTokenRegistration cancellation;
        lock (_queueLock)
        {
            if (_waiter is null || _queue.Count == 0 || !_wakeDue)
            {
                return;
            }

            _wakeDue = false;
            _wakeAtUnixMs = long.MinValue; // one deferral per wait: the consumer sets the next
            (waiter, _waiter) = (_waiter, null);
            (cancellation, _waiterCancellation) = (_waiterCancellation, default);
        }

        cancellation.Unregister();
        waiter.TrySetResult(true); // false if the wait was cancelled meanwhile: the frames stay queued
    }

    /// <summary>No more frames: the consumer reads what is queued, then its wait returns false.</summary>
    internal void Complete()
    {
        TaskCompletionSource<bool>? waiter;
        CancellationTokenRegistration cancellation;
        bool queued;
        lock (_queueLock)
        {
            _completed = true;
            queued = _queue.Count > 0;
            (waiter, _waiter) = (_waiter, null);
            (cancellation, _waiterCancellation) = (_waiterCancellation, default);
        }

        cancellation.Unregister();
        waiter?.TrySetResult(queued);
    }

    private bool TryEnqueue(MediaFrame frame)
    {
        lock (_queueLock)
        {
            if (_completed || _queue.Count >= _capacity)
            {
                return false;
            }

            _queue.Enqueue(frame);
            _wakeDue |= frame.WallClockUnixMs >= _wakeAtUnixMs ||
                        (frame.IsKeyFrame && frame.Track.Kind == MediaKind.Video) ||
                        _queue.Count >= _capacity / 4 || Interlocked.Read(ref _queuedBytes) >= MaxQueuedBytes / 4;
            return true;
        }
    }
}
