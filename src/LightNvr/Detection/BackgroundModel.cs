using System.Numerics;

namespace LightNvr.Detection;

/// <summary>
/// The pixel half of motion detection, on one stream's small gray frames: a 3×3 box blur (the noise floor), a
/// least-squares fit of the frame to the background (<c>frame ≈ gain·background + offset</c>: a fade, a brightness
/// ramp or an exposure change moves the whole picture, not a region of it), the per-pixel difference from that fit,
/// and an exponential moving average that keeps the background current. The prediction is clipped to 0–255 as the
/// camera's picture is: a dark area that a brightness ramp pushes below black stays black instead of drifting away. Changed pixels blend in slower, so an object
/// that stops becomes background in about <see cref="ChangedTimeConstantFrames"/> frames. Vectorised with
/// <see cref="Vector{T}"/> where the work is per pixel. Not thread-safe: one detector thread per stream.
/// </summary>
public sealed class BackgroundModel
{
    /// <summary>Background time constant (frames) of pixels that did not change: 4 s at 5 fps.</summary>
    public const int TimeConstantFrames = 20;

    /// <summary>Time constant (frames) of changed pixels: a parked car is background after about 20 s at 5 fps.</summary>
    public const int ChangedTimeConstantFrames = 100;

    private readonly float[] _background;
    private readonly float[] _blurred;
    private readonly float[] _rowSums;
    private bool _primed;

    public BackgroundModel(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 3);
        Width = width;
        Height = height;
        _background = new float[width * height];
        _blurred = new float[width * height];
        _rowSums = new float[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gain of the last fit (1 = no global change).</summary>
    public float Gain { get; private set; } = 1;

    /// <summary>Offset of the last fit, in gray levels.</summary>
    public float Offset { get; private set; }

    /// <summary>
    /// Extra update rate while the light changes: mean level change per frame ÷ this. A ramp of 3 levels a frame
    /// (the fastest in the interop fade) adds 0.2, so what the linear fit misses (clipping at black and white, sensor
    /// noise clipped with it) is learnt within a few frames instead of piling up into "motion".
    /// </summary>
    public const float LightChangeRateDivisor = 15;

    /// <summary>Background update rate boost from the last frame's global change (0 when the light is steady).</summary>
    public float Boost { get; private set; }

    /// <summary>
    /// Compares <paramref name="gray"/> with the background and updates it. <paramref name="difference"/> receives
    /// |frame − fit| per pixel. Returns false for the first frame (it only primes the background).
    /// </summary>
    /// <param name="changedThreshold">Pixels over this difference count as changed for the background's update rate.</param>
    public bool Update(ReadOnlySpan<byte> gray, Span<float> difference, float changedThreshold)
    {
        if (gray.Length != _background.Length || difference.Length != _background.Length)
        {
            throw new ArgumentException($"expected {_background.Length} pixels, got {gray.Length}");
        }

        Blur(gray);
        if (!_primed)
        {
            _blurred.CopyTo(_background, 0);
            _primed = true;
            difference.Clear();
            return false;
        }

        Fit();
        Compare(difference, changedThreshold);
        return true;
    }

    /// <summary>Takes the current frame as the background (after a sudden whole-picture change such as a light switch).</summary>
    public void Rebase() => _blurred.CopyTo(_background, 0);

    /// <summary>
    /// 3×3 box blur with edge pixels replicated, all vectorised: the bytes widened to floats (into the output, which
    /// the vertical pass overwrites), horizontal sums from three overlapping loads, then vertical sums.
    /// </summary>
    private void Blur(ReadOnlySpan<byte> gray)
    {
        int w = Width, h = Height;
        var pixels = _blurred.AsSpan();
        Widen(gray, pixels);
        for (var y = 0; y < h; y++)
        {
            var row = pixels.Slice(y * w, w);
            var sums = _rowSums.AsSpan(y * w, w);
            sums[0] = (2 * row[0]) + row[1];
            var x = 1;
            for (; x <= w - 1 - Vector<float>.Count; x += Vector<float>.Count)
            {
                (new Vector<float>(row[(x - 1)..]) + new Vector<float>(row[x..]) + new Vector<float>(row[(x + 1)..])).CopyTo(sums[x..]);
            }
            for (; x < w - 1; x++)
            {
                sums[x] = row[x - 1] + row[x] + row[x + 1];
            }
            sums[w - 1] = row[w - 2] + (2 * row[w - 1]);
        }

        var ninth = new Vector<float>(1f / 9);
        for (var y = 0; y < h; y++)
        {
            var above = _rowSums.AsSpan(Math.Max(0, y - 1) * w, w);
            var here = _rowSums.AsSpan(y * w, w);
            var below = _rowSums.AsSpan(Math.Min(h - 1, y + 1) * w, w);
            var output = _blurred.AsSpan(y * w, w);
            var x = 0;
            for (; x <= w - Vector<float>.Count; x += Vector<float>.Count)
            {
                var sum = new Vector<float>(above[x..]) + new Vector<float>(here[x..]) + new Vector<float>(below[x..]);
                (sum * ninth).CopyTo(output[x..]);
            }
            for (; x < w; x++)
            {
                output[x] = (above[x] + here[x] + below[x]) / 9;
            }
        }
    }

    /// <summary>Bytes to floats, <see cref="Vector{T}"/>-wide: byte → ushort → uint → float.</summary>
    private static void Widen(ReadOnlySpan<byte> bytes, Span<float> floats)
    {
        var lanes = Vector<uint>.Count;
        var i = 0;
        for (; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector.Widen(new Vector<byte>(bytes[i..]), out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            Vector.ConvertToSingle(a).CopyTo(floats[i..]);
            Vector.ConvertToSingle(b).CopyTo(floats[(i + lanes)..]);
            Vector.ConvertToSingle(c).CopyTo(floats[(i + (2 * lanes))..]);
            Vector.ConvertToSingle(d).CopyTo(floats[(i + (3 * lanes))..]);
        }
        for (; i < bytes.Length; i++)
        {
            floats[i] = bytes[i];
        }
    }

    /// <summary>Least-squares gain and offset of blurred ≈ gain·background + offset (sums per row in double).</summary>
    private void Fit()
    {
        double sf = 0, sb = 0, sfb = 0, sbb = 0;
        var w = Width;
        for (var y = 0; y < Height; y++)
        {
            var f = _blurred.AsSpan(y * w, w);
            var b = _background.AsSpan(y * w, w);
            Vector<float> vf = default, vb = default, vfb = default, vbb = default;
            var x = 0;
            for (; x <= w - Vector<float>.Count; x += Vector<float>.Count)
            {
                var fx = new Vector<float>(f[x..]);
                var bx = new Vector<float>(b[x..]);
                vf += fx;
                vb += bx;
                vfb += fx * bx;
                vbb += bx * bx;
            }
            double rf = Vector.Sum(vf), rb = Vector.Sum(vb), rfb = Vector.Sum(vfb), rbb = Vector.Sum(vbb);
            for (; x < w; x++)
            {
                rf += f[x];
                rb += b[x];
                rfb += f[x] * b[x];
                rbb += b[x] * b[x];
            }
            sf += rf;
            sb += rb;
            sfb += rfb;
            sbb += rbb;
        }

        double n = _blurred.Length;
        var meanF = sf / n;
        var meanB = sb / n;
        var varB = (sbb / n) - (meanB * meanB);
        var cov = (sfb / n) - (meanF * meanB);
        // A flat background (variance under 4 gray levels², e.g. one uniform colour) says nothing about gain: offset only.
        var gain = varB > 4 ? Math.Clamp(cov / varB, 0, 4) : 1;
        Gain = (float)gain;
        Offset = (float)(meanF - (gain * meanB));
        Boost = (float)Math.Min(0.5, Math.Abs(meanF - meanB) / LightChangeRateDivisor);
    }

    private void Compare(Span<float> difference, float changedThreshold)
    {
        var f = _blurred.AsSpan();
        var b = _background.AsSpan();
        var gain = new Vector<float>(Gain);
        var offset = new Vector<float>(Offset);
        var threshold = new Vector<float>(changedThreshold);
        var rate = new Vector<float>((1f / TimeConstantFrames) + Boost);
        var changedRate = new Vector<float>((1f / ChangedTimeConstantFrames) + Boost);
        var black = Vector<float>.Zero;
        var white = new Vector<float>(255);
        var i = 0;
        for (; i <= f.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var bx = new Vector<float>(b[i..]);
            var predicted = Vector.Min(white, Vector.Max(black, (gain * bx) + offset)); // a picture clips at 0 and 255
            var d = new Vector<float>(f[i..]) - predicted;
            var abs = Vector.Abs(d);
            abs.CopyTo(difference[i..]);
            var alpha = Vector.ConditionalSelect(Vector.GreaterThan(abs, threshold), changedRate, rate);
            (predicted + (alpha * d)).CopyTo(b[i..]);
        }
        for (; i < f.Length; i++)
        {
            var predicted = Math.Clamp((Gain * b[i]) + Offset, 0, 255);
            var d = f[i] - predicted;
            difference[i] = MathF.Abs(d);
            b[i] = predicted + (((difference[i] > changedThreshold ? 1f / ChangedTimeConstantFrames : 1f / TimeConstantFrames) + Boost) * d);
        }
    }
}
