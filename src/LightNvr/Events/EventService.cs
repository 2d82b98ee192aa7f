using System.Threading.Channels;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;

namespace LightNvr.Events;

/// <summary>
/// The event spine (architecture D9, docs/events.md). Every source reports into <see cref="Observe"/>, which never
/// blocks: a bounded queue, and an observation that finds it full is dropped and counted (<see cref="Dropped"/>).
/// One loop drains the queue into <see cref="EventTracker"/>, writes <c>detection_events</c> rows (insert at start, at
/// most one update per <see cref="DetectionRateLimit.MinInterval"/> per stream and label, close at the end) and
/// <c>detections</c> rows at the same bounded rate, and tells every <see cref="IEventConsumer"/>. At start-up, events a
/// crash left open are closed at their last observation. Shutdown (priority <see cref="ShutdownPriority.Detection"/>,
/// first of all): the queue is drained, every open event closed, then every consumer stopped (event recordings finish).
/// </summary>
public sealed partial class EventService : IObservationSink, IHostedService
{
    /// <summary>
    /// Queued observations at most: 64 cameras × 5 motion frames/s × 3 zones is ~1,000 a second; the loop handles far
    /// more, so the queue fills only when the database stalls, and then dropping is better than holding detectors.
    /// </summary>
    public const int MaxQueued = 1024;

    /// <summary>An external <c>start</c> without <c>stop</c> holds its event at most this long (upstream's pulse maximum, 600,000 ms).</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(600_000);

    private readonly Channel<EventCommand> _queue = Channel.CreateBounded<EventCommand>(
        new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly EventTracker _tracker = new();
    private readonly DetectionRateLimit _rate = new();
    private readonly EventStore _events;
    private readonly DetectionStore _detections;
    private readonly RecordingTagStore _tags;
    private readonly StreamStore _streams;
    private readonly ApiDetectionOptions _defaults;
    private readonly TimeProvider _time;
    private readonly ILogger<EventService> _logger;
    private readonly IDisposable _shutdown;
    private readonly Lock _consumersLock = new();
    private IEventConsumer[] _consumers = [];
    private Task _loop = Task.CompletedTask;
    private long _dropped;
    private int _stopped;

    public EventService(EventStore events, DetectionStore detections, RecordingTagStore tags, StreamStore streams,
        ConfigSection<ApiDetectionOptions> apiDetection, ShutdownCoordinator shutdown, TimeProvider time, ILogger<EventService> logger)
    {
        _events = events;
        _detections = detections;
        _tags = tags;
        _streams = streams;
        _defaults = apiDetection.Current;
        _time = time;
        _logger = logger;
        _shutdown = shutdown.Register("detection", ShutdownPriority.Detection, StopTierAsync);
    }

    /// <summary>Observations dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Observations refused because too many events were open (<see cref="EventTracker.MaxOpenEvents"/>).</summary>
    public long Refused => _tracker.Refused;

    /// <summary><c>detections</c> rows not written because of <see cref="DetectionRateLimit"/>.</summary>
    public long DetectionRowsSuppressed => _rate.Suppressed;

    /// <summary>Events closed at start-up that a crash had left open.</summary>
    public int ClosedAtStartup { get; private set; }

    /// <summary>Adds a consumer (feed, recording, snapshots). Consumers call this from their constructor.</summary>
    public void Subscribe(IEventConsumer consumer)
    {
        lock (_consumersLock)
        {
            _consumers = [.. _consumers, consumer];
        }
    }

    public void Observe(Observation observation) => Enqueue(new EventCommand.Observe(observation, null));

    /// <summary>An external trigger: an observation whose event stays open until <paramref name="holdUntil"/>.</summary>
    /// <param name="tags">Recording tags applied to the event's recording once it has one (event recording).</param>
    public bool Trigger(Observation observation, DateTimeOffset holdUntil, IReadOnlyList<string>? tags = null) =>
        Enqueue(new EventCommand.Observe(observation, holdUntil, tags));

    /// <summary>Ends the holds of a stream's events from <paramref name="source"/> (optionally one label) now.</summary>
    public bool Release(string stream, ObservationSource source, string? label) =>
        Enqueue(new EventCommand.Release(stream, source, label, _time.GetUtcNow()));

    /// <summary>Records an event's snapshot file or recording (from any thread).</summary>
    public void Attach(long eventId, string? snapshotPath, long? recordingId) =>
        Enqueue(new EventCommand.Attach(eventId, snapshotPath, recordingId));

    /// <summary>The events open now (a copy, for the API's <c>active</c> state and tests).</summary>
    public IReadOnlyList<EventRecord> OpenEvents
    {
        get
        {
            lock (_tracker)
            {
                return [.. _tracker.Open.Where(e => e.Id > 0).Select(e => e.ToRecord(ended: false))];
            }
        }
    }

    private bool Enqueue(EventCommand command)
    {
        if (_queue.Writer.TryWrite(command))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ClosedAtStartup = await _events.CloseOpenAsync(cancellationToken).ConfigureAwait(false);
        if (ClosedAtStartup > 0)
        {
            LogClosedAtStartup(ClosedAtStartup);
        }
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopTierAsync(cancellationToken).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    /// <summary>The detection tier's stop: drain, close every open event, stop every consumer. Runs once.</summary>
    private async Task StopTierAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        List<OpenEvent> open;
        lock (_tracker)
        {
            open = _tracker.CloseAll(_time.GetUtcNow());
        }
        foreach (var e in open)
        {
            await EndAsync(e, CancellationToken.None).ConfigureAwait(false);
        }
        IEventConsumer[] consumers;
        lock (_consumersLock)
        {
            consumers = _consumers;
        }
        await Task.WhenAll(consumers.Select(c => c.StopAsync(ct))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
