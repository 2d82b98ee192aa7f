using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4.Boxes;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Streaming;

namespace LightNvr.Recording;

/// <summary>
/// Continuous recording of one stream (D2): a consumer of the camera's <see cref="StreamHub"/> that writes the
/// camera's own packets into fragmented MP4 segments (<see cref="SegmentFile"/>), cut per
/// <see cref="SegmentCutPolicy"/>, one <c>recordings</c> row per segment. Crash-consistency order: create the file,
/// write and fsync its init segment and fsync the folder, then insert the open row (end_time NULL, is_complete 0);
/// update its size every <see cref="SizeUpdateInterval"/>; on close write the last fragment, fsync, then complete the
/// row. An I/O error (disk full) closes that segment cleanly, is shown in the stream's status, and recording retries
/// after <see cref="RetryAfterError"/>; it never stops the process or the other streams.
/// Runs as its own task, on the shared <see cref="RecorderThread"/> in the server; <see cref="StopAsync"/> drains
/// the queue and finalises the open segment. <see cref="Reconfigure"/> takes new settings (segment duration, audio) while
/// it runs: the open segment ends at the next keyframe and the next one follows the new settings (docs/recording.md).
/// </summary>
public sealed partial class StreamRecorder : IAsyncDisposable
{
    /// <summary>How often the open row's size is refreshed (the API lists the open segment growing).</summary>
    public static readonly TimeSpan SizeUpdateInterval = TimeSpan.FromSeconds(10);

    /// <summary>Pause after a write error before the next segment is tried (disk full rarely clears in a second).</summary>
    public static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest difference between "previous start + media duration" and the clock at a cut that is still treated as
    /// drift (segments then meet exactly); beyond it the clock jumped and the new segment starts at the clock's time.
    /// </summary>
    public static readonly TimeSpan MaxWallClockDrift = TimeSpan.FromSeconds(2);

    /// <summary>
    /// No frame for this long closes the open segment (camera gone or stalled) instead of leaving it open through
    /// the outage; below the RTSP client's 10 s read timeout so the segment is closed before the reconnect.
    /// </summary>
    public static readonly TimeSpan MaxFrameGap = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The idle timer is re-armed at most this often (at a wake-up with frames), not on every wake-up: arming a
    /// timer can wake the runtime's timer thread, and frames come every pacer tick. So a silent camera's segment is
    /// closed between <see cref="MaxFrameGap"/> and <see cref="MaxFrameGap"/> + this after its last frame.
    /// </summary>
    private static readonly TimeSpan IdleRearmInterval = TimeSpan.FromSeconds(1);

    /// <summary>Trigger type of continuous recording rows, upstream's value (the API shows capture_method "continuous").</summary>
    public const string TriggerType = "scheduled";

    /// <summary>Trigger type of rows recorded on demand (<c>POST /api/streams/{name}/recording</c>).</summary>
    public const string ManualTriggerType = "manual";

    private readonly CameraStream _camera;
    private readonly RecordingStore _store;
    private readonly RecordingFiles _files;
    private readonly ConfigSection<StorageOptions> _storage;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SegmentCutPolicy _policy;
    private readonly OpenSegments _open;
    private readonly TaskScheduler _scheduler;
    private HubSubscription? _subscription;
    private Task _run = Task.CompletedTask;
    private volatile OpenSegment? _segment;
    private long _bytesClosed;
    private long _bytesReported;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private long _fragmentDueUnixMs = long.MinValue;
    private IReadOnlyList<MediaTrack>? _streamTracks;
    private MediaTrack[] _recordable = [];
    private bool _streamHasVideo;
    private readonly RecordingStallWatch _stall;
    private Settings? _pending;
    private volatile string _trigger = TriggerType;
    private string? _pendingTrigger;
    private bool _databaseAway;

    /// <summary>With settings that never change (tests, tools).</summary>
    public StreamRecorder(CameraStream camera, RecordingStore store, RecordingFiles files, StorageOptions storage, TimeProvider time,
        ILogger logger, OpenSegments? openSegments = null, TaskScheduler? scheduler = null)
        : this(camera, store, files, ConfigSection<StorageOptions>.Fixed(storage), time, logger, openSegments, scheduler)
    {
    }

    /// <param name="storage">
    /// Read live: <c>mp4_directory_format</c> at each new segment, <c>mp4_segment_duration</c> (the default length) when
    /// the recorder starts or is reconfigured.
    /// </param>
    /// <param name="scheduler">Where the recorder runs: the shared <see cref="RecorderThread"/>, or the thread pool.</param>
    public StreamRecorder(CameraStream camera, RecordingStore store, RecordingFiles files, ConfigSection<StorageOptions> storage,
        TimeProvider time,
        ILogger logger, OpenSegments? openSegments = null, TaskScheduler? scheduler = null)
    {
        _scheduler = scheduler ?? TaskScheduler.Default;
        _open = openSegments ?? new OpenSegments();
        _camera = camera;
        _store = store;
        _files = files;
        _storage = storage;
        _time = time;
        _logger = logger;
        var settings = SettingsOf(camera.Config, storage.Current);
        _policy = new SegmentCutPolicy(settings.SegmentDuration, settings.RecordAudio);
        _stall = new RecordingStallWatch(time);
    }

    public string StreamName => _camera.Name;

    /// <summary>The node its rows name (<c>[cluster] node_id</c>).</summary>
    public string NodeId { get; init; } = "";

    /// <summary>Its lease's epoch, the fencing token of its rows; null = no lease check (one box).</summary>
    public long? LeaseEpoch { get; init; }

    /// <summary>
    /// Where rows go that the database refuses during an outage (docs/scale.md); null = no queue: such a segment is
    /// deleted and recording retried after <see cref="RetryAfterError"/>, as before.
    /// </summary>
    public PendingRows? Pending { get; init; }

    /// <summary>
    /// The trigger type new rows get: <see cref="TriggerType"/> (continuous, inside the schedule) or
    /// <see cref="ManualTriggerType"/>; set before <see cref="Start"/> or through <see cref="SetTrigger"/>.
    /// </summary>
    public string Trigger
    {
        get => Volatile.Read(ref _pendingTrigger) ?? _trigger;
        init => _trigger = value;
    }

    /// <summary>The open segment's row id, once it has one (the API's <c>recording_id</c>); null between segments.</summary>
    public long? OpenRecordingId => _segment?.RowId;

    /// <summary>
    /// A new trigger type from the next segment on: the open one ends at the next keyframe (as a settings change
    /// does), so a manual recording's rows never carry continuous frames and the files meet exactly. Any thread.
    /// </summary>
    public void SetTrigger(string trigger)
    {
        if (trigger != Trigger)
        {
            Volatile.Write(ref _pendingTrigger, trigger);
        }
    }

    /// <summary>Segments closed so far.</summary>
    public int SegmentsClosed { get; private set; }

    /// <summary>
    /// Bytes that reached the disk in this recorder's segments (closed ones plus the open one's committed part); read from
    /// any thread, never lower than a value read before (a segment being closed is briefly in neither part).
    /// </summary>
    public long BytesWritten
    {
        get
        {
            var now = Interlocked.Read(ref _bytesClosed) + (_segment?.File.CommittedLength ?? 0);
            long seen;
            do
            {
                seen = Interlocked.Read(ref _bytesReported);
                if (now <= seen)
                {
                    return seen;
                }
            }
            while (Interlocked.CompareExchange(ref _bytesReported, now, seen) != seen);
            return now;
        }
    }

    public SubscriptionStats? QueueStats => _subscription?.Stats;

    /// <summary>
    /// The recorder has written every frame it was woken for and waits for the next wake-up. Frames may still be
    /// queued: ones it deferred (<see cref="HubSubscription.DeferWakeUntil"/>: no keyframe, fragment not yet due), which
    /// it reads when the next such frame comes. So "caught up" is this, not an empty queue (tests pace on it).
    /// </summary>
    internal bool IsWaitingForFrames => _subscription?.IsWaiting == true;

    /// <summary>
    /// Video frames handed to a segment file that was kept (a frame that ends one segment and starts the next counts
    /// once; the lone frame of a segment discarded without a row does not count).
    /// </summary>
    public long VideoFramesRecorded { get; private set; }

    public void Start()
    {
        _subscription = _camera.Hub.Subscribe("recorder", acceptsBatches: true);
        _run = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler)
            .Unwrap();
    }

    /// <summary>
    /// New recorder settings from the stream's row (<c>segment_duration</c>, <c>record_audio</c>), taken by the recorder
    /// loop at its next frame; the open segment is then cut at the next keyframe. Any thread.
    /// </summary>
    public void Reconfigure(StreamConfig config) => Volatile.Write(ref _pending, SettingsOf(config, _storage.Current));

    /// <summary>Stops taking frames, writes what is queued, finalises the open segment.</summary>
    public async Task StopAsync()
    {
        _subscription?.Dispose();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <remarks>
    /// Plain awaits here (no <c>ConfigureAwait(false)</c>): the loop must keep coming back to the scheduler it was
    /// started on, the <see cref="RecorderThread"/>.
    /// </remarks>
    private async Task RunAsync()
    {
        var subscription = _subscription!;
        var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        long? armedAt = null;
        while (true)
        {
            bool more;
            try
            {
                if (_segment is null)
                {
                    if (armedAt is not null)
                    {
                        idle.CancelAfter(Timeout.InfiniteTimeSpan); // no segment to close: disarm, once
                        armedAt = null;
                    }
                }
                else if (armedAt is not { } at || _time.GetElapsedTime(at) >= IdleRearmInterval)
                {
                    idle.CancelAfter(MaxFrameGap + IdleRearmInterval);
                    armedAt = _time.GetTimestamp();
                }

                // With a segment open, frames are only needed when its fragment is due (or at a keyframe, which
                // may cut the segment): being woken per fragment, not per pacer tick, writes nothing later.
                subscription.DeferWakeUntil(_segment is null ? long.MinValue : _fragmentDueUnixMs);
                more = await subscription.WaitToReadAsync(_segment is null ? CancellationToken.None : idle.Token);
            }
            catch (OperationCanceledException)
            {
                idle.Dispose(); // a cancelled source cannot be reset: take a fresh one
                idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
                armedAt = null;
                if (subscription.Stats.Queued > 0)
                {
                    continue; // frames are waiting (we were slow, e.g. a disk stall): not a quiet camera
                }

                // The camera went quiet (gone, or reconnecting): close the segment now rather than leave it open
                // for the whole outage; the next keyframe starts a new one.
                await GuardAsync(() => CloseAsync(final: true, endDts: null));
                _policy.Reset();
                continue;
            }

            if (!more)
            {
                break;
            }

            while (subscription.TryRead(out var frame))
            {
                try
                {
                    var segment = _segment;
                    var committed = segment?.File.CommittedLength;
                    await OnFrameAsync(frame, subscription.Tracks);
                    if (_segment is { } now && (!ReferenceEquals(now, segment) || now.File.CommittedLength != committed))
                    {
                        // A fragment was written (or a segment begun): the next one starts at this frame.
                        _fragmentDueUnixMs = frame.WallClockUnixMs + (long)SegmentFile.FragmentDuration.TotalMilliseconds;
                    }
                }
#pragma warning disable CA1031 // a recorder failure (I/O, database) is reported and retried, never a crash
                catch (Exception e)
#pragma warning restore CA1031
                {
                    await FailAsync(e);
                }
            }
        }

        idle.Dispose();
        await GuardAsync(() => CloseAsync(final: true, endDts: null));
    }

    private async Task GuardAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a recorder failure (I/O, database) is reported and retried, never a crash
        catch (Exception e)
#pragma warning restore CA1031
        {
            await FailAsync(e).ConfigureAwait(false);
        }
    }

    private ValueTask OnFrameAsync(MediaFrame frame, IReadOnlyList<MediaTrack> streamTracks)
    {
        if (Volatile.Read(ref _pending) is not null && Interlocked.Exchange(ref _pending, null) is { } settings)
        {
            _policy.Reconfigure(settings.SegmentDuration, settings.RecordAudio);
        }

        if (Volatile.Read(ref _pendingTrigger) is not null && Interlocked.Exchange(ref _pendingTrigger, null) is { } trigger
            && trigger != _trigger)
        {
            _trigger = trigger;
            _policy.RequestCut();
        }

        if (_pausedUntil > _time.GetUtcNow())
        {
            return ValueTask.CompletedTask;
        }

        if (!ReferenceEquals(streamTracks, _streamTracks))
        {
            _streamTracks = streamTracks;
            _recordable = streamTracks.Where(CanRecord).ToArray();
            _streamHasVideo = streamTracks.Any(t => t.Kind == MediaKind.Video);
        }

        // The policy sees only recordable tracks: a video track that is not (yet) writable must not make the stream
        // look audio-only, or its audio would be recorded alone and the broken video go unnoticed.
        var action = CanRecord(frame.Track) && (_policy.IsOpen || !_streamHasVideo || frame.Track.Kind == MediaKind.Video)
            ? _policy.Decide(frame, _recordable)
            : SegmentAction.Skip;
        if (_segment is not null || action == SegmentAction.Cut)
        {
            _stall.Writing();
        }
        else if ((frame.Track.Kind == MediaKind.Video || !_streamHasVideo) && _stall.NotWritten(frame) is { } reason)
        {
            LogNotRecording(_camera.Name, reason); // once per episode: the watch reports a stall once
            _camera.RecordingError = reason; // cleared by the next segment that opens
        }

        return action switch
        {
            SegmentAction.Append => AppendAsync(frame),
            SegmentAction.Cut => new ValueTask(CutAsync(frame)),
            SegmentAction.CloseAndSkip => new ValueTask(CloseAsync(final: true, endDts: null)),
            _ => ValueTask.CompletedTask,
        };
    }

    /// <summary>Synchronous except every <see cref="SizeUpdateInterval"/> (the row's size) and on a late track change.</summary>
    private ValueTask AppendAsync(MediaFrame frame)
    {
        var segment = _segment!;
        var result = segment.File.Add(frame);
        if (result == Fmp4AddResult.TrackChanged)
        {
            // The policy already cuts on any new parameters; this is the muxer's own check agreeing late.
            _policy.Reset();
            return new ValueTask(CloseAsync(final: true, endDts: null));
        }

        segment.Observe(frame);
        CountVideo(segment, frame);
        if (segment.RowId is null)
        {
            return segment.IsPlayable && !segment.Queued ? new ValueTask(InsertRowAsync(segment)) : ValueTask.CompletedTask;
        }

        var now = _time.GetUtcNow();
        if (now - segment.LastSizeUpdate < SizeUpdateInterval)
        {
            return ValueTask.CompletedTask;
        }

        segment.LastSizeUpdate = now;
        return new ValueTask(UpdateSizeAsync(segment));
    }

    private async Task CutAsync(MediaFrame frame)
    {
        var previous = _segment;
        var now = _time.GetUtcNow();
        if (previous is not null && ReferenceEquals(previous.ClockTrack, frame.Track))
        {
            // Duration cut on the same connection: the keyframe ends this segment and starts the next, exactly. Frames
            // held past the keyframe go on in the next segment unless its tracks left them out (audio turned off).
            var carried = previous.File.CutBefore(frame).Where(f => _policy.Tracks.ContainsKey(f.Track.Id)).ToArray();
            await CloseAsync(final: false, endDts: frame.Dts).ConfigureAwait(false);
            var expected = previous.Start + previous.DurationTo(frame.Dts);
            var start = (expected - now).Duration() <= MaxWallClockDrift ? expected : now;
            if (start != expected)
            {
                LogClockJump(_camera.Name, expected, now);
            }

            await OpenAsync(carried, start).ConfigureAwait(false);
            return;
        }

        await CloseAsync(final: true, endDts: null).ConfigureAwait(false);
        await OpenAsync([frame], now).ConfigureAwait(false);
    }

    private async Task OpenAsync(IReadOnlyList<MediaFrame> first, DateTimeOffset start)
    {
        var tracks = _policy.Tracks.Values.OrderBy(t => t.Id).ToArray();
        var startDts = first.GroupBy(f => f.Track.Id).ToDictionary(g => g.Key, g => g.First().Dts);
        var local = TimeZoneInfo.ConvertTime(start, _time.LocalTimeZone).DateTime;
        var storage = _storage.Current;
        var directory = SegmentPath.Directory(storage.Mp4Path, _camera.Name, storage.Mp4DirectoryFormat, local);
        SegmentFile file;
        using (_open.BeginCreate())
        {
            file = SegmentFile.Create(directory, local, tracks, startDts);
            _open.Add(file.Path);
        }

        var segment = new OpenSegment(file, start, first[0]);
        _segment = segment;
        foreach (var frame in first)
        {
            file.Add(frame);
            segment.Observe(frame);
            CountVideo(segment, frame);
        }

        if (segment.IsPlayable)
        {
            await InsertRowAsync(segment).ConfigureAwait(false);
        }

        if (_camera.RecordingError is not null)
        {
            _camera.RecordingError = null;
        }

        LogOpened(_camera.Name, file.Path);
    }

    /// <summary>Finishes the open segment. <paramref name="endDts"/>: where a cut ended it; null = after its last frame.</summary>
    private async Task CloseAsync(bool final, long? endDts)
    {
        if (_segment is not { } segment)
        {
            return;
        }

        _segment = null;
        IOException? failure = null;
        try
        {
            segment.File.Finish(final);
        }
        catch (IOException e)
        {
            failure = e;
            segment.File.TruncateToCommitted();
        }
        finally
        {
            segment.File.Dispose();
        }

        // After a failed write only what reached the disk counts: the row's end is the file's real end.
        var duration = failure is not null ? segment.File.CommittedDuration
            : endDts is { } end ? segment.DurationTo(end) : segment.Duration;
        await CompleteRowAsync(segment, duration, segment.File.CommittedLength).ConfigureAwait(false);
        Interlocked.Add(ref _bytesClosed, segment.File.CommittedLength);
        SegmentsClosed++;
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task FailAsync(Exception error)
    {
        var reason = error is IOException ? "recording: cannot write: " + error.Message : "recording: " + error.Message;
        _pausedUntil = _time.GetUtcNow() + RetryAfterError;
        _policy.Reset();
        LogFailed(_camera.Name, reason);
        if (_segment is { } segment)
        {
            // Close first, report after: once the status says Error, the segment's file and row are final.
            _segment = null;
            segment.File.TruncateToCommitted();
            segment.File.Dispose();
            try
            {
                await CompleteRowAsync(segment, segment.File.CommittedDuration, segment.File.CommittedLength)
                    .ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the database may be on the full disk too; start-up repair completes the row
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCloseFailed(_camera.Name, e.Message);
            }
        }

        _camera.RecordingError = CredentialRedaction.Redact(reason);
    }

    private void CountVideo(OpenSegment segment, MediaFrame frame)
    {
        if (frame.Track.Kind == MediaKind.Video)
        {
            VideoFramesRecorded++;
            segment.VideoFrames++;
        }
    }

    /// <summary>The row's segment duration (0 = <c>[storage] mp4_segment_duration</c>; at least 1 s) and audio choice.</summary>
    internal static Settings SettingsOf(StreamConfig config, StorageOptions storage)
    {
        var seconds = config.SegmentDuration > 0 ? config.SegmentDuration : storage.Mp4SegmentDuration;
        return new Settings(TimeSpan.FromSeconds(Math.Max(1, seconds)), config.RecordAudio);
    }

    /// <summary>Tracks the muxer can write; others (e.g. Opus) are left out of the file.</summary>
    internal static bool CanRecord(MediaTrack track) => track.IsReady && SampleEntry.TypeOf(track.Codec) != 0;

    internal sealed record Settings(TimeSpan SegmentDuration, bool RecordAudio);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorder {Stream}: segment {Path} opened")]
    private partial void LogOpened(string stream, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recorder {Stream}: {Reason}; retrying in 10 s")]
    private partial void LogFailed(string stream, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recorder {Stream}: frames arrive but nothing is written: {Reason}")]
    private partial void LogNotRecording(string stream, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recorder {Stream}: cannot finalise segment row: {Reason}")]
    private partial void LogCloseFailed(string stream, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recorder {Stream}: clock jumped (expected {Expected}, clock {Now}); new segment starts at the clock's time")]
    private partial void LogClockJump(string stream, DateTimeOffset expected, DateTimeOffset now);
}
