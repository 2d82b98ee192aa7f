using System.Buffers;
using System.Diagnostics;
using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Detection.Objects;

/// <summary>
/// Object detection of one stream: takes the decoder's RGB frames (one per <c>detection_interval</c>), skips those
/// with no motion since the previous one when motion gating is on (the stream's <c>detection_motion_gate</c>, on by
/// default), queues the rest on the shared <see cref="ObjectDetectionQueue"/>, and turns what the detector finds into
/// <see cref="ObservationSource.Object"/> observations after the stream's threshold, label filter and zones
/// (<see cref="ObjectFilter"/>). A detector that fails (model missing, service down) is this stream's
/// <see cref="LastError"/> in <c>/api/health</c>; the next frame tries again.
/// </summary>
public sealed class StreamObjectDetection : IAsyncDisposable
{
    private readonly IObjectDetector _detector;
    private readonly ObjectDetectionQueue _queue;
    private readonly IObservationSink _sink;
    private IReadOnlyList<DetectionZone> _zones = [];
    private long _offered, _gated, _early, _dropped, _inferences, _objects, _lastMicros, _lastTakenTicks;
    private volatile string? _lastError;
    private volatile bool _disposed;
    private volatile IReadOnlyList<DetectedObject> _last = [];

    public StreamObjectDetection(StreamConfig stream, IObjectDetector detector, ObjectDetectionQueue queue, IObservationSink sink)
    {
        Stream = stream;
        _detector = detector;
        _queue = queue;
        _sink = sink;
    }

    public StreamConfig Stream { get; }

    public string DetectorName => _detector.Name;

    /// <summary>True when frames without motion since the previous one are skipped.</summary>
    public bool MotionGated => Stream.DetectionMotionGate;

    /// <summary>Seconds between object frames: the stream's <c>detection_interval</c>, at least 1.</summary>
    public int IntervalSeconds => Math.Clamp(Stream.DetectionInterval, 1, 3600);

    public long FramesOffered => Interlocked.Read(ref _offered);

    public long FramesGated => Interlocked.Read(ref _gated);

    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames that arrived less than half an interval after the last one taken (a decoder catching up in a burst).</summary>
    public long FramesEarly => Interlocked.Read(ref _early);

    public long Inferences => Interlocked.Read(ref _inferences);

    public long ObjectsReported => Interlocked.Read(ref _objects);

    public double LastInferenceMs => Interlocked.Read(ref _lastMicros) / 1000.0;

    public string? LastError => _lastError;

    /// <summary>What the last run found (after the filters), for annotation and the UI.</summary>
    public IReadOnlyList<DetectedObject> LastObjects => _last;

    public void SetZones(IReadOnlyList<DetectionZone> zones) => Volatile.Write(ref _zones, zones);

    /// <summary>
    /// Offers one decoded frame; <paramref name="rented"/> (from <see cref="ArrayPool{T}.Shared"/>) is given up here.
    /// <paramref name="motionSeen"/>: motion since the previous object frame.
    /// </summary>
    public void Offer(RgbFrame frame, byte[] rented, bool motionSeen)
    {
        Interlocked.Increment(ref _offered);
        // ffmpeg picks one frame per interval of stream time; after a stall (a restart, a slow pipe) it hands over
        // the ones it owes in a burst. Never more than one detection per half interval of wall time: the shared
        // queue is not flooded, and events see detections spaced as detection_interval says.
        var minGap = TimeSpan.FromSeconds(IntervalSeconds / 2.0).Ticks;
        if (frame.At.UtcTicks - Interlocked.Read(ref _lastTakenTicks) < minGap)
        {
            Interlocked.Increment(ref _early);
            ArrayPool<byte>.Shared.Return(rented);
            return;
        }
        Interlocked.Exchange(ref _lastTakenTicks, frame.At.UtcTicks);
        if (MotionGated && !motionSeen)
        {
            Interlocked.Increment(ref _gated);
            ArrayPool<byte>.Shared.Return(rented);
            return;
        }
        _queue.Enqueue(this, frame, rented);
    }

    internal void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>Runs the detector on the queue's thread and reports what passes the stream's filters.</summary>
    public void Run(RgbFrame frame, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return; // queued before the stream stopped
        }
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<DetectedObject> found;
        try
        {
            found = _detector.DetectAsync(frame, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
            return; // the stream stopped while its frame waited
        }
        catch (ObjectDetectorException e)
        {
            _lastError = e.Message;
            return;
        }
#pragma warning disable CA1031 // a detector's bug (a decoder meeting an odd output shape) is this stream's error, not the server's end
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _lastError = $"{_detector.Name}: {e.GetType().Name}: {e.Message}";
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Interlocked.Exchange(ref _lastMicros, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        _lastError = null;
        var kept = ObjectFilter.Apply(found, Stream, Volatile.Read(ref _zones));
        _last = kept.Select(k => k.Object).ToArray();
        foreach (var (o, zone) in kept)
        {
            Interlocked.Increment(ref _objects);
            _sink.Observe(new Observation(Stream.Name, ObservationSource.Object, o.Label, o.Confidence, o.Box, zone, frame.At));
        }
        Interlocked.Increment(ref _inferences); // after the observations: a reader that sees the count sees them too
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return _detector.DisposeAsync();
    }
}
