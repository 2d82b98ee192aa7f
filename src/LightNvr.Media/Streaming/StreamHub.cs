namespace LightNvr.Media.Streaming;

/// <summary>
/// One per camera: the <see cref="IMediaSink"/> its source delivers into, fanned out to every consumer
/// (recorder, live viewers, restream, snapshots, detection) without copying frames (D1; go2rtc's Receiver → Sender).
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="OnTracks"/> and <see cref="OnFrame"/> are called by one source at a time (the
/// <see cref="SourceSupervisor"/> guarantees that). They take a short lock that <see cref="Subscribe"/> and
/// disposal also take, so a new subscription gets the cached GOP and then every later frame, with none missed
/// or doubled. Inside the lock the hub only does non-blocking queue writes (<see cref="HubSubscription"/>), so a
/// stalled consumer never slows the source or the others; it drops frames and counts them.
/// </remarks>
public sealed class StreamHub : IMediaSink, IDisposable
{
    private readonly Lock _lock = new();
    private readonly GopCache _gop = new();
    private HubSubscription[] _subscriptions = [];
    private bool _acceptsBatches = true;
    private IReadOnlyList<MediaTrack> _tracks = [];
    private bool _hasVideo;
    private bool _disposed;
    private long _framesIn;
    private long _bytesIn;
    private int _tracksVersion;

    public StreamHub(string name)
    {
        Name = name;
    }

    /// <summary>The stream (camera) name.</summary>
    public string Name { get; }

    /// <summary>The tracks of the current (or last) connection; empty before the first.</summary>
    public IReadOnlyList<MediaTrack> Tracks => Volatile.Read(ref _tracks);

    /// <summary>Incremented each time a source (re)connects and announces its tracks.</summary>
    public int TracksVersion => Volatile.Read(ref _tracksVersion);

    public long FramesIn => Interlocked.Read(ref _framesIn);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    /// <inheritdoc />
    /// <remarks>True while every subscription was made with <c>acceptsBatches</c> (none at all counts as true).</remarks>
    public bool AcceptsBatchedDelivery => Volatile.Read(ref _acceptsBatches);

    /// <summary>Raised (on the source's thread, outside the lock) after <see cref="OnTracks"/>; handlers must not block.</summary>
    public event Action<StreamHub, IReadOnlyList<MediaTrack>>? TracksChanged;

    /// <summary>Raised on the source's thread for every frame a handler wants to peek at (e.g. codec/size/fps); must not block.</summary>
    public event Action<MediaFrame>? FramePublished;

    /// <summary>Raised outside the lock after a subscription is added or removed, with the new count.</summary>
    public event Action<StreamHub, int>? SubscriberCountChanged;

    public IReadOnlyList<SubscriptionStats> SubscriptionStats =>
        Volatile.Read(ref _subscriptions).Select(s => s.Stats).ToArray();

    /// <summary>
    /// Adds a consumer. When <paramref name="startAtCachedKeyFrame"/> is true and a GOP is cached, the queue starts
    /// with the last keyframe and the frames since (the consumer's first picture is immediate); otherwise the
    /// consumer starts at the next video keyframe. <paramref name="acceptsBatches"/>: the consumer does not need
    /// frames as they arrive (a recorder), so while only such consumers read, the source may batch its reads
    /// (<see cref="AcceptsBatchedDelivery"/>).
    /// </summary>
    public HubSubscription Subscribe(string name, string? remote = null, int capacity = HubSubscription.DefaultCapacity,
        bool startAtCachedKeyFrame = true, bool acceptsBatches = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        HubSubscription subscription;
        int count;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            subscription = new HubSubscription(this, name, remote, capacity, waitForKeyFrame: _hasVideo, acceptsBatches);
            if (startAtCachedKeyFrame && _gop.IsValid && _gop.Count <= capacity)
            {
                foreach (var frame in _gop.Frames)
                {
                    subscription.Offer(frame, _hasVideo);
                }
            }

            _subscriptions = [.. _subscriptions, subscription];
            count = _subscriptions.Length;
            UpdateAcceptsBatches();
        }

        SubscriberCountChanged?.Invoke(this, count);
        return subscription;
    }

    /// <summary>
    /// A copy of the cached GOP (the last video keyframe and every frame since), empty when none is cached: what a
    /// WebRTC viewer re-sends when its decoder asks for a keyframe (PLI/FIR), the camera not being asked for one.
    /// </summary>
    public IReadOnlyList<MediaFrame> CachedGop()
    {
        lock (_lock)
        {
            return _gop.IsValid ? _gop.Frames.ToArray() : [];
        }
    }

    /// <inheritdoc />
    public void OnTracks(IReadOnlyList<MediaTrack> tracks)
    {
        lock (_lock)
        {
            _tracks = tracks.ToArray();
            _hasVideo = tracks.Any(t => t.Kind == MediaKind.Video);
            _gop.Clear();
            _tracksVersion++;
            foreach (var subscription in _subscriptions)
            {
                subscription.ResetToKeyFrame(_hasVideo);
            }
        }

        TracksChanged?.Invoke(this, tracks);
    }

    /// <inheritdoc />
    public void OnFrame(MediaFrame frame) => OnFrames(new ReadOnlySpan<MediaFrame>(in frame));

    /// <inheritdoc />
    /// <remarks>One lock for the burst, and each waiting consumer is woken once, after its last frame.</remarks>
    public void OnFrames(ReadOnlySpan<MediaFrame> frames)
    {
        if (frames.IsEmpty)
        {
            return;
        }

        HubSubscription[] subscriptions;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            subscriptions = _subscriptions;
            foreach (var frame in frames)
            {
                Interlocked.Increment(ref _framesIn);
                Interlocked.Add(ref _bytesIn, frame.Data.Length);
                if (_hasVideo)
                {
                    _gop.Add(frame);
                }

                foreach (var subscription in subscriptions)
                {
                    subscription.Offer(frame, _hasVideo);
                }
            }
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Signal();
        }

        if (FramePublished is { } published)
        {
            foreach (var frame in frames)
            {
                published(frame);
            }
        }
    }

    /// <summary>Completes every subscription (their readers end) and refuses new ones.</summary>
    public void Dispose()
    {
        HubSubscription[] subscriptions;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            subscriptions = _subscriptions;
            _subscriptions = [];
            _gop.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Complete();
        }
    }

    internal void Remove(HubSubscription subscription)
    {
        int count;
        lock (_lock)
        {
            var before = _subscriptions.Length;
            _subscriptions = _subscriptions.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            if (before == _subscriptions.Length)
            {
                return;
            }

            UpdateAcceptsBatches();
            count = _subscriptions.Length;
        }

        SubscriberCountChanged?.Invoke(this, count);
    }

    /// <summary>Under the lock, after the subscription list changed.</summary>
    private void UpdateAcceptsBatches() =>
        Volatile.Write(ref _acceptsBatches, _subscriptions.All(s => s.AcceptsBatches));
}
