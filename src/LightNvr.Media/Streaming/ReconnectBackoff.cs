namespace LightNvr.Media.Streaming;

/// <summary>
/// Delays between reconnect attempts: quick at first (a camera that reboots or drops one TCP connection is back in
/// a second), then doubling to a cap so a dead camera costs almost nothing, with ±<see cref="JitterFraction"/> jitter so
/// cameras that failed together (a switch reboot) do not retry in lock-step. go2rtc uses 1 s ×5, 5 s, 10 s, 60 s
/// (internal/streams/producer.go); we cap lower because an NVR loses recording for as long as it waits.
/// Not thread-safe: one per supervisor loop.
/// </summary>
public sealed class ReconnectBackoff
{
    /// <summary>First delay, repeated for <see cref="QuickAttempts"/> attempts.</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of a delay (before jitter): about the time a camera takes to reboot.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>A connection that stayed up this long counts as stable: the next failure starts from <see cref="Initial"/>.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    /// <summary>Attempts retried after <see cref="Initial"/> before the delay starts doubling.</summary>
    public const int QuickAttempts = 3;

    /// <summary>Each delay is scaled by a factor in [1 − f, 1 + f].</summary>
    public const double JitterFraction = 0.2;

    private readonly Func<double> _random;
    private int _failures;

    /// <param name="random">Uniform [0, 1) source for the jitter; tests pass a constant 0.5 (no jitter).</param>
    public ReconnectBackoff(Func<double>? random = null)
    {
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Failures since the last reset.</summary>
    public int Failures => _failures;

    /// <summary>The nominal (un-jittered) delay after the given number of consecutive failures (1-based).</summary>
    public static TimeSpan Nominal(int failures)
    {
        if (failures <= QuickAttempts)
        {
            return Initial;
        }

        var doublings = Math.Min(failures - QuickAttempts, 16);
        var seconds = Initial.TotalSeconds * (1L << doublings);
        return seconds >= Max.TotalSeconds ? Max : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Records one failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan Next()
    {
        _failures++;
        var factor = 1 + JitterFraction * (2 * _random() - 1);
        return TimeSpan.FromTicks((long)(Nominal(_failures).Ticks * factor));
    }

    /// <summary>Call after a connection was stable (or on a fresh start): the next failure waits <see cref="Initial"/>.</summary>
    public void Reset() => _failures = 0;
}
