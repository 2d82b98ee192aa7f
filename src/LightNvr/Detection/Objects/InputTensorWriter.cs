namespace LightNvr.Detection.Objects;

/// <summary>
/// Fits an RGB24 frame into a model's input: <see cref="Resize"/> (bilinear, letterbox or stretch) into an RGB24
/// buffer of the input size, then <see cref="ToFloat"/> (scaled, NCHW or NHWC) or the bytes as they are (NHWC uint8).
/// The buffers are the caller's and reused frame after frame.
/// </summary>
public static class InputTensorWriter
{
    /// <summary>Letterbox padding: 114 grey, what Ultralytics pads with in training and export.</summary>
    public const byte PadValue = 114;

    public static void Resize(RgbFrame frame, FrameFit fit, int width, int height, Span<byte> rgb)
    {
        rgb[..(width * height * 3)].Fill(PadValue);
        var src = frame.Pixels.Span;
        int fw = frame.Width, fh = frame.Height;
        var x0 = Math.Max(0, (int)MathF.Floor(fit.PadX));
        var x1 = Math.Min(width, (int)MathF.Ceiling(fit.PadX + (fw * fit.ScaleX)));
        var y0 = Math.Max(0, (int)MathF.Floor(fit.PadY));
        var y1 = Math.Min(height, (int)MathF.Ceiling(fit.PadY + (fh * fit.ScaleY)));
        for (var y = y0; y < y1; y++)
        {
            var sy = Math.Clamp(((y + 0.5f - fit.PadY) / fit.ScaleY) - 0.5f, 0, fh - 1);
            var ya = (int)sy;
            var yb = Math.Min(ya + 1, fh - 1);
            var wy = sy - ya;
            for (var x = x0; x < x1; x++)
            {
                var sx = Math.Clamp(((x + 0.5f - fit.PadX) / fit.ScaleX) - 0.5f, 0, fw - 1);
                var xa = (int)sx;
                var xb = Math.Min(xa + 1, fw - 1);
                var wx = sx - xa;
                int a = ((ya * fw) + xa) * 3, b = ((ya * fw) + xb) * 3, c = ((yb * fw) + xa) * 3, d = ((yb * fw) + xb) * 3;
                var o = ((y * width) + x) * 3;
                for (var ch = 0; ch < 3; ch++)
                {
                    var top = src[a + ch] + ((src[b + ch] - src[a + ch]) * wx);
                    var bottom = src[c + ch] + ((src[d + ch] - src[c + ch]) * wx);
                    rgb[o + ch] = (byte)(top + ((bottom - top) * wy) + 0.5f);
                }
            }
        }
    }

    /// <summary>RGB24 of <paramref name="width"/>×<paramref name="height"/> into floats × <paramref name="scale"/>.</summary>
    public static void ToFloat(ReadOnlySpan<byte> rgb, InputLayout layout, int width, int height, float scale, Span<float> into)
    {
        var plane = width * height;
        if (layout == InputLayout.Nhwc)
        {
            for (var i = 0; i < plane * 3; i++)
            {
                into[i] = rgb[i] * scale;
            }
            return;
        }
        for (var i = 0; i < plane; i++)
        {
            into[i] = rgb[i * 3] * scale;
            into[plane + i] = rgb[(i * 3) + 1] * scale;
            into[(2 * plane) + i] = rgb[(i * 3) + 2] * scale;
        }
    }
}
