using LightNvr.Cameras;
using System.Buffers;
using LightNvr.Data;
using LightNvr.Detection.Objects;
using LightNvr.Events;
using LightNvr.Media;
using LightNvr.Media.Streaming;

namespace LightNvr.Detection;

/// <summary>
/// Motion detection of one stream: a hub subscription (the sub-stream's own connection when <c>sub_stream_url</c> is
/// set, else the camera's hub), an <see cref="FfmpegGrayDecoder"/> fed from it, a <see cref="MotionDetector"/> on
/// what comes out, and <see cref="Observation"/>s into the sink. A decoder that exits, fails or hangs is restarted
/// after a <see cref="ReconnectBackoff"/> delay and counted; none of that touches the hub's other consumers. The
/// sub-stream is the camera service's (<see cref="CameraService.TryGetSubStream(string, string, out CameraStream)"/>),
/// shared with live tiles: the detector's subscription keeps it connected, the detector never owns or disposes it.
/// Thread-safety: one loop task; the counters and <see cref="ReloadAsync"/> may be used from any thread.
/// </summary>
public sealed partial class StreamDetector : IAsyncDisposable
{
    /// <summary>Hub queue of the decoder feed in frames: 2 s of 30 fps video and its audio; beyond that it skips to a keyframe.</summary>
    public const int QueueCapacity = 128;

    /// <summary>Feed bursts at most this far apart (a keyframe at once): one frame at 5 fps, the receive pacer's tick (docs/detection.md).</summary>
    public static readonly TimeSpan FeedInterval = TimeSpan.FromMilliseconds(200);

    private readonly StreamHub _hub;
    private readonly CameraStream? _subStream;
    private readonly ZoneStore _zones;
    private readonly MotionSettingsStore _settings;
    private readonly IObservationSink _sink;
    private readonly FrameSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StreamObjectDetection? _objects;
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<DetectionZone> _zoneList = [];
    private MotionSettings _motionSettings = MotionSettings.Default;
    private MotionDetector? _motion;
    private Task _loop = Task.CompletedTask;
    private long _restarts, _framesIn, _framesOut, _observations, _lastOutputTicks;
    private volatile string? _lastError;
    private volatile int _state = (int)DetectorState.Waiting;
    private volatile int _pid;
    private int _motionSeen;

    public StreamDetector(StreamConfig stream, StreamHub hub, CameraStream? subStream, ZoneStore zones,
        MotionSettingsStore settings, IObservationSink sink, FrameSourceOptions options, TimeProvider time, ILogger logger,
        StreamObjectDetection? objects = null)
    {
        _objects = objects;
        Stream = stream;
        _hub = hub;
        _subStream = subStream;
        _zones = zones;
        _settings = settings;
        _sink = sink;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public StreamConfig Stream { get; }

    public string Name => Stream.Name;

    /// <summary>"sub" when the sub-stream is decoded, else "main".</summary>
    public string Source => _subStream is null ? "main" : "sub";

    public DetectorState State => (DetectorState)_state;

    /// <summary>Decoder restarts since start (a death, a failure to start, a hang, a change of picture size).</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    public long FramesIn => Interlocked.Read(ref _framesIn);

    /// <summary>Detection frames decoded and analysed.</summary>
    public long FramesAnalyzed => Interlocked.Read(ref _framesOut);

    public long Observations => Interlocked.Read(ref _observations);

    public string? LastError => _lastError;

    /// <summary>The running ffmpeg's process id, or 0.</summary>
    public int DecoderProcessId => _pid;

    public bool MotionActive { get; private set; }

    /// <summary>The stream's object detection, when its <c>detection_model</c> names an object detector.</summary>
    public StreamObjectDetection? Objects => _objects;

    /// <summary>Loads zones and settings, then starts the loop.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Re-reads zones and motion settings; a running detector uses them from its next frame.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var zones = await _zones.ListAsync(Name, cancellationToken).ConfigureAwait(false);
        var settings = await _settings.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _zoneList, zones);
        Volatile.Write(ref _motionSettings, settings);
        _objects?.SetZones(zones);
        if (Volatile.Read(ref _motion) is { } motion)
        {
            motion.SetZones(zones);
            motion.Configure(settings);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        if (_objects is not null)
        {
            await _objects.DisposeAsync().ConfigureAwait(false);
        }
        _state = (int)DetectorState.Stopped;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = new ReconnectBackoff();
        while (!ct.IsCancellationRequested)
        {
            var startedAt = _time.GetTimestamp();
            string reason;
            try
            {
                reason = await RunDecoderAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // whatever broke the decoder, detection restarts it; recording never sees it
            catch (Exception e)
#pragma warning restore CA1031
            {
                reason = e.Message;
            }
            finally
            {
                _pid = 0;
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }
            Interlocked.Increment(ref _restarts);
            _lastError = reason;
            _state = (int)DetectorState.Restarting;
            if (_time.GetElapsedTime(startedAt) >= ReconnectBackoff.StableAfter)
            {
                backoff.Reset();
            }
            var delay = backoff.Next();
            LogRestart(Name, reason, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        _state = (int)DetectorState.Stopped;
    }

    /// <summary>One decoder's life: returns (or throws) why it ended.</summary>
    private async Task<string> RunDecoderAsync(CancellationToken ct)
    {
        _state = (int)DetectorState.Waiting;
        using var subscription = _hub.Subscribe("detection", capacity: QueueCapacity, acceptsBatches: true); // 5 fps needs no frame at once
        var first = await FirstKeyFrameAsync(subscription, ct).ConfigureAwait(false);
        if (first is null)
        {
            return "stream ended";
        }

        var track = first.Track;
        var (width, height) = DetectionPlan.FrameSize(track.Width, track.Height, _options.Width);
        var motion = Volatile.Read(ref _motion);
        if (motion is null || motion.Width != width || motion.Height != height)
        {
            motion = new MotionDetector(width, height, Volatile.Read(ref _motionSettings), Volatile.Read(ref _zoneList));
            Volatile.Write(ref _motion, motion);
        }

        await using var rgb = _objects is null ? null : RgbChannel(track.Width, track.Height);
        var rgbOutput = rgb is null ? null : new RgbOutput(rgb.Width, rgb.Height, _objects!.IntervalSeconds, rgb.Path);
        await using var decoder = FfmpegGrayDecoder.Start(_options.FfmpegPath, track.Codec, width, height,
            Math.Min(_options.MotionFps, FrameSourceOptions.MaxMotionFps), _options.SkipLoopFilter, rgbOutput);
        _pid = decoder.ProcessId;
        _state = (int)DetectorState.Running;
        Interlocked.Exchange(ref _lastOutputTicks, _time.GetTimestamp());
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = ReadLoopAsync(decoder, motion, linked.Token);
        var writing = WriteLoopAsync(subscription, decoder, first, linked.Token);
        var objects = rgb is null ? null : ReadObjectFramesAsync(rgb, linked.Token);
        Task<string>[] loops = objects is null ? [reading, writing] : [reading, writing, objects];
        var ended = await Task.WhenAny(loops).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        string reason;
        try
        {
            reason = await ended.ConfigureAwait(false);
        }
        catch (IOException e)
        {
            reason = "decoder input closed: " + e.Message; // ffmpeg died while we wrote
        }
        if (ended == reading)
        {
            await decoder.WaitForExitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false); // stdout closes just before exit
        }
        var exit = decoder.ExitCode;
        var errors = decoder.Errors;
        await decoder.DisposeAsync().ConfigureAwait(false); // kills it: a write into a full pipe returns
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException
            or System.Net.Sockets.SocketException)
        {
        }
        return exit is null ? reason : $"{reason} (ffmpeg exit {exit}{(errors.Length > 0 ? ": " + LastLine(errors) : "")})";
    }

    private static async Task<MediaFrame?> FirstKeyFrameAsync(HubSubscription subscription, CancellationToken ct)
    {
        await foreach (var frame in subscription.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (frame.Track.Kind == MediaKind.Video && frame.IsKeyFrame && frame.Track.IsReady)
            {
                return frame;
            }
        }
        return null;
    }

    private async Task<string> WriteLoopAsync(HubSubscription subscription, FfmpegGrayDecoder decoder, MediaFrame first,
        CancellationToken ct)
    {
        var track = first.Track;
        var burst = new List<MediaFrame>(QueueCapacity) { first };
        do
        {
            while (subscription.TryRead(out var frame))
            {
                if (frame.Track.Kind != MediaKind.Video)
                {
                    continue;
                }
                if (!ReferenceEquals(frame.Track, track))
                {
                    if (frame.Track.Codec != track.Codec || frame.Track.Width != track.Width || frame.Track.Height != track.Height)
                    {
                        return $"picture changed to {frame.Track.Codec} {frame.Track.Width}x{frame.Track.Height}";
                    }
                    track = frame.Track;
                }
                burst.Add(frame);
            }
            var silent = _time.GetElapsedTime(Interlocked.Read(ref _lastOutputTicks));
            if (silent > _options.StallTimeout)
            {
                return $"decoder hung: no frame for {silent.TotalSeconds:F0} s while fed";
            }
            if (burst.Count > 0)
            {
                await decoder.WriteAsync(burst, ct).ConfigureAwait(false);
                Interlocked.Add(ref _framesIn, burst.Count);
                burst.Clear();
            }
            subscription.DeferWakeUntil((_time.GetUtcNow() + FeedInterval).ToUnixTimeMilliseconds());
        }
        while (await subscription.WaitToReadAsync(ct).ConfigureAwait(false));
        return "stream ended";
    }

    private async Task<string> ReadLoopAsync(FfmpegGrayDecoder decoder, MotionDetector motion, CancellationToken ct)
    {
        var buffer = new byte[decoder.FrameBytes];
        while (await decoder.ReadFrameAsync(buffer, ct).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _lastOutputTicks, _time.GetTimestamp());
            Interlocked.Increment(ref _framesOut);
            var at = _time.GetUtcNow();
            var result = motion.Process(buffer, at);
            MotionActive = result.Active;
            if (result.Active || result.Reports.Count > 0)
            {
                Volatile.Write(ref _motionSeen, 1);
            }
            if (_objects is not null)
            {
                continue; // motion is the object detector's gate here, not an event of its own
            }
            foreach (var report in result.Reports)
            {
                Interlocked.Increment(ref _observations);
                _sink.Observe(new Observation(Name, ObservationSource.Motion, DetectionPlan.MotionModel, report.Confidence,
                    report.Box, report.ZoneId, result.ReportedAt ?? at));
            }
        }
        return "decoder exited";
    }

    private RgbFrameChannel RgbChannel(int sourceWidth, int sourceHeight)
    {
        var (w, h) = DetectionPlan.FrameSize(sourceWidth, sourceHeight, _options.ObjectWidth);
        return new RgbFrameChannel(w, h);
    }

    /// <summary>The decoder's RGB output: each frame into a pooled buffer and on to the stream's object detection.</summary>
    private async Task<string> ReadObjectFramesAsync(RgbFrameChannel channel, CancellationToken ct)
    {
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(channel.FrameBytes);
            bool read;
            try
            {
                read = await channel.ReadFrameAsync(buffer, ct).ConfigureAwait(false);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            if (!read)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return "decoder closed its object output";
            }
            var frame = new RgbFrame(channel.Width, channel.Height, buffer.AsMemory(0, channel.FrameBytes), _time.GetUtcNow());
            var motion = Interlocked.Exchange(ref _motionSeen, 0) == 1 || MotionActive;
            _objects!.Offer(frame, buffer, motion);
        }
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } lines
        ? lines[^1]
        : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detection {Stream}: {Reason}; restarting the decoder in {Seconds:F1} s")]
    private static partial void LogRestart(ILogger logger, string stream, string reason, double seconds);

    private void LogRestart(string stream, string reason, double seconds) => LogRestart(_logger, stream, reason, seconds);
}
