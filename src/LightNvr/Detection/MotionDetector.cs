using System.Numerics;
using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Detection;

/// <summary>
/// Motion detection on one stream's small gray frames (docs/detection.md): the <see cref="BackgroundModel"/> gives
/// each pixel's difference from a background fitted for global light changes; a pixel changed when its difference
/// exceeds a threshold from the sensitivity, raised to <see cref="NoiseFactor"/> × the measured noise; a zone triggers
/// when its changed share reaches <see cref="MotionSettings.Threshold"/>. A run of motion starts after
/// <see cref="MotionSettings.MinMotionFrames"/> triggering frames in a row and ends after
/// <see cref="MotionSettings.CooldownSeconds"/> without one; while it lasts, each triggering zone is reported at most
/// every <see cref="MinReportInterval"/>. Pure: frames and times come in, reports go out (tests drive it with
/// synthetic frames). Zones and settings may be replaced from any thread; a frame is processed on one thread.
/// </summary>
public sealed class MotionDetector
{
    /// <summary>
    /// Over this share of the whole frame changed at once the change is taken as light (a lamp, IR cut filter, the
    /// camera's exposure) that the gain/offset fit could not explain: the background is re-learnt, nothing reported.
    /// </summary>
    public const double MaxLightingFraction = 0.5;

    /// <summary>Per-pixel threshold (gray levels, 0–255) at sensitivity 1.</summary>
    public const float MinPixelThreshold = 8;

    /// <summary>Per-pixel threshold at sensitivity 0.</summary>
    public const float MaxPixelThreshold = 48;

    /// <summary>
    /// The threshold is at least this many times the noise (the median difference of a frame, EMA over frames):
    /// for Gaussian noise the median |d| is 0.67 σ, so 6 × is about 4 σ (6 in 100,000 pixels by chance).
    /// </summary>
    public const float NoiseFactor = 6;

    /// <summary>Fewest changed pixels that can trigger a zone, however small the zone.</summary>
    public const int MinChangedPixels = 4;

    /// <summary>Reports per zone while motion lasts: at most 2 a second ("a few per second" for the event spine).</summary>
    public static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Histogram resolution of |difference|: 1/8 gray level up to 32 levels (the noise lives there).</summary>
    private const int HistogramBinsPerLevel = 8;

    /// <summary>
    /// The noise median is taken over every 4th pixel: 14,400 of a 320×180 frame, whose median lies within a fraction of
    /// a bin of the whole frame's, for a quarter of the histogram's scattered increments (the costliest loop it had).
    /// </summary>
    private const int HistogramStride = 4;

    private readonly BackgroundModel _background;
    private readonly float[] _difference;
    private readonly int[] _histogram = new int[32 * HistogramBinsPerLevel];
    private readonly Dictionary<string, DateTimeOffset> _lastReport = new(StringComparer.Ordinal);
    private volatile MotionSettings _settings;
    private volatile IReadOnlyList<DetectionZone>? _pendingZones;
    private ZoneMask[] _masks;
    private float _noise;
    private int _consecutive;
    private bool _active;
    private DateTimeOffset _lastMotion;
    private DateTimeOffset _firstTriggered;

    public MotionDetector(int width, int height, MotionSettings settings, IReadOnlyList<DetectionZone> zones)
    {
        _background = new BackgroundModel(width, height);
        _difference = new float[width * height];
        _settings = settings;
        _masks = Rasterise(zones, width, height);
    }

    public int Width => _background.Width;

    public int Height => _background.Height;

    /// <summary>The measured noise (median |difference| in gray levels, averaged over frames).</summary>
    public float Noise => _noise;

    /// <summary>Ids of the zones in force (null entry: the whole frame, when no zone is enabled).</summary>
    public IEnumerable<string?> ZoneIds => Volatile.Read(ref _masks).Select(m => m.Id);

    /// <summary>New settings, in force from the next frame.</summary>
    public void Configure(MotionSettings settings) => _settings = settings;

    /// <summary>New zones (the enabled ones count), rasterised before the next frame; no restart needed.</summary>
    public void SetZones(IReadOnlyList<DetectionZone> zones) => _pendingZones = zones;

    /// <summary>One frame (row-major 8-bit gray, <see cref="Width"/> × <see cref="Height"/>) seen at <paramref name="at"/>.</summary>
    public MotionFrameResult Process(ReadOnlySpan<byte> gray, DateTimeOffset at)
    {
        if (Interlocked.Exchange(ref _pendingZones, null) is { } zones)
        {
            Volatile.Write(ref _masks, Rasterise(zones, Width, Height));
            _lastReport.Clear();
        }

        var settings = _settings;
        var threshold = Math.Max(MinPixelThreshold + ((float)(1 - settings.Sensitivity) * (MaxPixelThreshold - MinPixelThreshold)),
            NoiseFactor * _noise);
        if (!_background.Update(gray, _difference, threshold))
        {
            return new MotionFrameResult([], 0, threshold, false, false, false);
        }

        var changedCount = Classify(threshold);
        var changedFraction = (double)changedCount / _difference.Length;
        if (changedFraction > MaxLightingFraction)
        {
            _background.Rebase();
            _consecutive = 0;
            return new MotionFrameResult([], changedFraction, threshold, false, true, _active);
        }

        var triggered = new List<MotionReport>();
        foreach (var mask in _masks)
        {
            if (Evaluate(mask, settings, threshold) is { } report)
            {
                triggered.Add(report);
            }
        }

        return Decide(triggered, settings, at, changedFraction, threshold);
    }

    private MotionFrameResult Decide(List<MotionReport> triggered, MotionSettings settings, DateTimeOffset at,
        double changedFraction, float threshold)
    {
        if (triggered.Count == 0)
        {
            _consecutive = 0;
            if (_active && at - _lastMotion >= TimeSpan.FromSeconds(settings.CooldownSeconds))
            {
                _active = false;
            }
            return new MotionFrameResult([], changedFraction, threshold, false, false, _active);
        }

        _consecutive++;
        if (_consecutive == 1)
        {
            _firstTriggered = at;
        }
        var opening = !_active && _consecutive >= settings.MinMotionFrames;
        if (opening)
        {
            _active = true;
        }

        if (!_active)
        {
            return new MotionFrameResult([], changedFraction, threshold, true, false, false);
        }

        _lastMotion = at;
        var reports = new List<MotionReport>(triggered.Count);
        foreach (var report in triggered)
        {
            var key = report.ZoneId ?? "";
            if (!_lastReport.TryGetValue(key, out var last) || at - last >= MinReportInterval)
            {
                _lastReport[key] = at;
                reports.Add(report);
            }
        }
        return new MotionFrameResult(reports, changedFraction, threshold, true, false, true)
        {
            ReportedAt = opening ? _firstTriggered : null,
        };
    }

    /// <summary>Counts the changed pixels (vectorised) and updates the noise estimate from the median difference.</summary>
    private int Classify(float threshold)
    {
        var difference = _difference.AsSpan();
        var count = CountAbove(difference, threshold);

        Array.Clear(_histogram);
        var last = _histogram.Length - 1;
        var samples = 0;
        for (var i = 0; i < difference.Length; i += HistogramStride)
        {
            _histogram[Math.Min(last, (int)(difference[i] * HistogramBinsPerLevel))]++;
            samples++;
        }

        var half = samples / 2;
        var seen = 0;
        var median = 0f;
        for (var bin = 0; bin < _histogram.Length; bin++)
        {
            seen += _histogram[bin];
            if (seen >= half)
            {
                median = (bin + 0.5f) / HistogramBinsPerLevel;
                break;
            }
        }

        _noise = _noise == 0 ? median : (0.9f * _noise) + (0.1f * median);
        return count;
    }

    /// <summary>Pixels of <paramref name="values"/> over <paramref name="threshold"/> (a true lane of the compare is −1).</summary>
    private static int CountAbove(ReadOnlySpan<float> values, float threshold)
    {
        var limit = new Vector<float>(threshold);
        var lanes = Vector<int>.Zero;
        var i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            lanes += Vector.GreaterThan(new Vector<float>(values[i..]), limit);
        }
        var count = -Vector.Sum(lanes);
        for (; i < values.Length; i++)
        {
            count += values[i] > threshold ? 1 : 0;
        }
        return count;
    }

    private MotionReport? Evaluate(ZoneMask mask, MotionSettings settings, float threshold)
    {
        int count = 0, minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        var width = Width;
        var difference = _difference.AsSpan();
        foreach (var run in mask.Runs)
        {
            var row = difference.Slice((run.Y * width) + run.X, run.Length);
            var changed = CountAbove(row, threshold);
            if (changed == 0)
            {
                continue;
            }
            count += changed;
            var first = 0;
            while (row[first] <= threshold)
            {
                first++;
            }
            var lastChanged = row.Length - 1;
            while (row[lastChanged] <= threshold)
            {
                lastChanged--;
            }
            minX = Math.Min(minX, run.X + first);
            maxX = Math.Max(maxX, run.X + lastChanged);
            minY = Math.Min(minY, run.Y);
            maxY = Math.Max(maxY, run.Y);
        }

        var needed = Math.Max(MinChangedPixels, settings.Threshold * mask.Area);
        if (mask.Area == 0 || count < needed)
        {
            return null;
        }

        var fraction = (double)count / mask.Area;
        var confidence = (float)Math.Clamp(0.5 + (0.5 * ((count / needed) - 1) / 9), 0.5, 1);
        var box = new NormalizedBox((float)minX / width, (float)minY / Height, (float)(maxX - minX + 1) / width,
            (float)(maxY - minY + 1) / Height);
        return new MotionReport(mask.Id, fraction, confidence, box);
    }

    private static ZoneMask[] Rasterise(IReadOnlyList<DetectionZone> zones, int width, int height)
    {
        var enabled = zones.Where(z => z.Enabled && z.Polygon.Count >= ZoneRules.MinPoints).ToList();
        return enabled.Count == 0
            ? [ZoneMask.WholeFrame(width, height)]
            : enabled.Select(z => ZoneMask.Rasterise(z, width, height)).ToArray();
    }
}
