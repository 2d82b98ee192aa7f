using LightNvr.Config;
using LightNvr.Data;
using LightNvr.IO;

namespace LightNvr.Storage;

/// <summary>
/// How fast recordings fill the disk and when, at that rate and with nothing deleted, free space falls to
/// <c>min_free_pct</c> and recordings reach <c>max_size</c> (docs/storage.md, "Fill rate and projection"). A
/// projection that cannot be made (no rate, no disk figures, no <c>max_size</c>) is <see cref="Unknown"/> (-1), as
/// upstream reports "not filling"; 0 means the limit is already reached.
/// </summary>
public sealed record StorageForecast
{
    /// <summary>Value of a projection that cannot be made.</summary>
    public const double Unknown = -1;

    /// <summary>The window of the reported rate: the last day follows a change of cameras or bitrate within a day.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromDays(1);

    /// <summary>A steadier rate over a week, reported beside it (it averages out day and night).</summary>
    public static readonly TimeSpan LongRateWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// Less recording than this in a window gives no rate (0): a few minutes of one segment extrapolated to a day
    /// would swing with every segment boundary.
    /// </summary>
    public static readonly TimeSpan MinObservedSpan = TimeSpan.FromMinutes(10);

    /// <summary>Bytes per day over <see cref="RateWindow"/>, 0 when unknown.</summary>
    public double FillRateBytesPerDay { get; init; }

    /// <summary>Bytes per day over <see cref="LongRateWindow"/>, 0 when unknown.</summary>
    public double LongFillRateBytesPerDay { get; init; }

    /// <summary>Seconds until free space reaches <c>min_free_pct</c> (0 % = until full); <see cref="Unknown"/> or 0.</summary>
    public double SecondsToTarget { get; init; } = Unknown;

    /// <summary>Seconds until the recordings' bytes reach <c>max_size</c>; <see cref="Unknown"/> when it is 0 (none).</summary>
    public double SecondsToMaxSize { get; init; } = Unknown;

    /// <summary>
    /// The rate over <paramref name="window"/>: the bytes of the recordings that started in it divided by the time from
    /// the window's start (when a recording was going on then) or else the oldest start in it, to <paramref name="now"/>.
    /// </summary>
    public static double RatePerDay(RecordedBytes recorded, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.Count == 0 || recorded.OldestStart is not { } oldest)
        {
            return 0;
        }
        var nowSeconds = now.ToUnixTimeSeconds();
        var windowStart = nowSeconds - (long)window.TotalSeconds;
        var span = nowSeconds - (recorded.SpansStart ? windowStart : Math.Max(oldest, windowStart));
        return span < MinObservedSpan.TotalSeconds ? 0 : recorded.Bytes * 86400.0 / span;
    }

    /// <summary>
    /// The forecast from the last day's and week's recordings, the disk's figures (null when unknown) and the bytes
    /// all recordings take now (what <c>max_size</c> is compared with).
    /// </summary>
    public static StorageForecast Compute(RecordedBytes lastDay, RecordedBytes lastWeek, DateTimeOffset now, DiskSpace? disk,
        long recordingBytes, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rate = RatePerDay(lastDay, now, RateWindow);
        var perSecond = rate / 86400;
        var forecast = new StorageForecast
        {
            FillRateBytesPerDay = rate,
            LongFillRateBytesPerDay = RatePerDay(lastWeek, now, LongRateWindow),
        };
        if (perSecond <= 0)
        {
            return forecast;
        }
        if (disk is { Total: > 0 })
        {
            var headroom = disk.Free - (disk.Total * (double)options.MinFreePct / 100);
            forecast = forecast with { SecondsToTarget = Math.Max(0, headroom) / perSecond };
        }
        if (options.MaxSize > 0)
        {
            forecast = forecast with { SecondsToMaxSize = Math.Max(0, options.MaxSize - recordingBytes) / perSecond };
        }
        return forecast;
    }

    /// <summary>Days for a projection in seconds (2 decimals), <see cref="Unknown"/> kept.</summary>
    public static double Days(double seconds) => seconds < 0 ? Unknown : Math.Round(seconds / 86400, 2);
}
