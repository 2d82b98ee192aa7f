namespace LightNvr.Metrics;

/// <summary>
/// A fixed-bucket histogram fed from any thread (<see cref="Observe"/> is a few interlocked adds, no allocation) and
/// written by an <see cref="IMetricsSource"/> as a Prometheus histogram (<c>_bucket{le}</c> cumulative, <c>_sum</c>,
/// <c>_count</c>). For latencies such as the detector's per-frame time: keep one per stream in the subsystem and call
/// <see cref="WriteSamples"/> for each after writing the family once.
/// </summary>
public sealed class MetricsHistogram
{
    /// <summary>Bucket bounds in seconds for work of a few ms to a few s (Prometheus client libraries' defaults).</summary>
    public static readonly double[] DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumBits;

    public MetricsHistogram(double[]? bounds = null)
    {
        _bounds = bounds ?? DefaultSecondsBuckets;
        for (var i = 1; i < _bounds.Length; i++)
        {
            if (!(_bounds[i] > _bounds[i - 1]))
            {
                throw new ArgumentException("Bucket bounds must increase", nameof(bounds));
            }
        }
        _counts = new long[_bounds.Length + 1]; // the last is +Inf
    }

    public void Observe(double value)
    {
        var i = 0;
        while (i < _bounds.Length && value > _bounds[i])
        {
            i++;
        }
        Interlocked.Increment(ref _counts[i]);
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
        }
        while (Interlocked.CompareExchange(ref _sumBits, next, seen) != seen);
    }

    /// <summary>Writes this histogram's samples under the current family (started with <see cref="MetricType.Histogram"/>).</summary>
    public void WriteSamples(PrometheusTextWriter writer, string? label = null, string? labelValue = null)
    {
        long cumulative = 0;
        for (var i = 0; i <= _bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var le = i < _bounds.Length ? PrometheusTextWriter.FormatValue(_bounds[i]) : "+Inf";
            writer.Sample("_bucket", (label, labelValue), ("le", le), cumulative);
        }
        writer.Sample("_sum", (label, labelValue), default, BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)));
        writer.Sample("_count", (label, labelValue), default, cumulative);
    }
}
