namespace LightNvr.Media.Streaming;

/// <summary>
/// Keeps a stream's source running into its <see cref="StreamHub"/>: runs the source function, and when it ends or
/// fails, waits per <see cref="ReconnectBackoff"/> and runs it again. Either always on (a recorded stream, or
/// go2rtc's <c>preload</c>) or on demand: started by the hub's first subscriber and stopped <see cref="Linger"/> after
/// the last one leaves (go2rtc's lazy producers, internal/streams/add_consumer.go).
/// </summary>
/// <remarks>
/// The source function connects, calls <see cref="IMediaSink.OnTracks"/> then <see cref="IMediaSink.OnFrame"/> until
/// the connection ends, and returns (ended) or throws (failed). It must honour its cancellation token. At most one
/// source run is active at a time; frames from a run that has ended are ignored. Thread-safety: every public member
/// may be called from any thread; <see cref="StatusChanged"/> is raised on the thread that changed the state and its
/// handlers must not block.
/// </remarks>
public sealed class SourceSupervisor : IAsyncDisposable
{
    /// <summary>How long an on-demand source stays connected after its last consumer left (a viewer reloading a page).</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly StreamHub _hub;
    private readonly Func<IMediaSink, CancellationToken, Task> _source;
    private readonly TimeProvider _time;
    private readonly Func<double>? _random;
    private CancellationTokenSource? _runCts;
    private Task _runTask = Task.CompletedTask;
    private ITimer? _lingerTimer;
    private bool _alwaysOn;
    private bool _disposed;
    private SourceStatus _status;
    private long _attempts;
    private long _reconnects;

    public SourceSupervisor(StreamHub hub, Func<IMediaSink, CancellationToken, Task> source, TimeProvider time,
        Func<double>? random = null)
    {
        _hub = hub;
        _source = source;
        _time = time;
        _random = random;
        _status = SourceStatus.Idle(time.GetUtcNow());
        hub.SubscriberCountChanged += OnSubscriberCountChanged;
    }

    public StreamHub Hub => _hub;

    public TimeSpan Linger { get; init; } = DefaultLinger;

    public SourceStatus Status => Volatile.Read(ref _status);

    /// <summary>
    /// Connection attempts so far (source runs started, first connect and every reconnect): a stream that is watched
    /// and reconfigured without losing its camera connection keeps this at 1.
    /// </summary>
    public long Attempts => Interlocked.Read(ref _attempts);
    /// <summary>Source runs that ended or failed and are retried, since start (never reset: a monotonic counter).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _runCts is not null;
            }
        }
    }

    public event Action<SourceSupervisor, SourceStatus>? StatusChanged;

    /// <summary>
    /// Always on: runs regardless of subscribers. Off: runs only while the hub has subscribers (plus the linger).
    /// </summary>
    public bool AlwaysOn
    {
        get => Volatile.Read(ref _alwaysOn);
        set
        {
            Volatile.Write(ref _alwaysOn, value);
            Reevaluate();
        }
    }

    /// <summary>Stops the source now (whatever the mode) and waits for it to end.</summary>
    public async Task StopAsync()
    {
        Task run;
        lock (_lock)
        {
            _alwaysOn = false;
            CancelLinger();
            run = StopLocked();
        }

        await run.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _hub.SubscriberCountChanged -= OnSubscriberCountChanged;
        lock (_lock)
        {
            _disposed = true;
        }

        await StopAsync().ConfigureAwait(false);
    }

    private void OnSubscriberCountChanged(StreamHub hub, int count) => Reevaluate();

    private void Reevaluate()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_alwaysOn || _hub.SubscriberCount > 0)
            {
                CancelLinger();
                if (_runCts is null)
                {
                    var cts = new CancellationTokenSource();
                    var previous = _runTask;
                    _runCts = cts;
                    _runTask = Task.Run(() => RunAsync(previous, cts));
                }
            }
            else if (_runCts is not null && _lingerTimer is null)
            {
                _lingerTimer = _time.CreateTimer(_ => LingerExpired(), null, Linger, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void LingerExpired()
    {
        lock (_lock)
        {
            CancelLinger();
            if (!_alwaysOn && _hub.SubscriberCount == 0)
            {
                _ = StopLocked();
            }
        }
    }

    private Task StopLocked()
    {
        if (_runCts is { } cts)
        {
            cts.Cancel(); // the run disposes it when it has finished
            _runCts = null;
        }

        return _runTask;
    }

    private void CancelLinger()
    {
        _lingerTimer?.Dispose();
        _lingerTimer = null;
    }

    private async Task RunAsync(Task previous, CancellationTokenSource cts)
    {
        try
        {
            await RunLoopAsync(previous, cts.Token).ConfigureAwait(false);
        }
        finally
        {
            cts.Dispose();
        }
    }

    private async Task RunLoopAsync(Task previous, CancellationToken ct)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var backoff = new ReconnectBackoff(_random);
        while (!ct.IsCancellationRequested)
        {
            SetStatus(new SourceStatus(SourceState.Connecting, null, _time.GetUtcNow(), backoff.Failures, null));
            Interlocked.Increment(ref _attempts);
            var sink = new SupervisedSink(this);
            string reason;
            try
            {
                await _source(sink, ct).ConfigureAwait(false);
                reason = "source ended";
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                sink.Detach();
                break;
            }
#pragma warning disable CA1031 // a source failure of any kind is a reconnect, never a crash (issue 3 §5)
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reason = CredentialRedaction.Redact(ex.Message);
            }

            sink.Detach();
            if (sink.ConnectedAt is { } connectedAt && _time.GetUtcNow() - connectedAt >= ReconnectBackoff.StableAfter)
            {
                backoff.Reset();
            }

            Interlocked.Increment(ref _reconnects);
            var delay = backoff.Next();
            var now = _time.GetUtcNow();
            SetStatus(new SourceStatus(SourceState.Error, reason, now, backoff.Failures, now + delay));
            try
            {
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        SetStatus(SourceStatus.Idle(_time.GetUtcNow()));
    }

    private void SetStatus(SourceStatus status)
    {
        Volatile.Write(ref _status, status);
        StatusChanged?.Invoke(this, status);
    }

    /// <summary>The sink one source run sees: marks the stream connected and cuts off a run that has ended.</summary>
    private sealed class SupervisedSink(SourceSupervisor owner) : IMediaSink
    {
        private volatile bool _detached;

        public DateTimeOffset? ConnectedAt { get; private set; }

        public bool AcceptsBatchedDelivery => owner._hub.AcceptsBatchedDelivery;

        public void Detach() => _detached = true;

        public void OnTracks(IReadOnlyList<MediaTrack> tracks)
        {
            if (_detached)
            {
                return;
            }

            ConnectedAt = owner._time.GetUtcNow();
            owner._hub.OnTracks(tracks);
            owner.SetStatus(new SourceStatus(SourceState.Connected, null, ConnectedAt.Value, owner.Status.Failures, null));
        }

        public void OnFrame(MediaFrame frame)
        {
            if (!_detached)
            {
                owner._hub.OnFrame(frame);
            }
        }

        public void OnFrames(ReadOnlySpan<MediaFrame> frames)
        {
            if (!_detached)
            {
                owner._hub.OnFrames(frames);
            }
        }
    }
}
