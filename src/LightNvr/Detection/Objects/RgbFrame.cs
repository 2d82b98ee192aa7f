namespace LightNvr.Detection.Objects;

/// <summary>
/// One decoded frame for object detection: packed RGB24, row-major, no padding (<c>Pixels.Length == Width * Height * 3</c>),
/// as the decoder writes it. The detector resizes (letterbox or stretch) to its model's input itself.
/// </summary>
public sealed record RgbFrame(int Width, int Height, ReadOnlyMemory<byte> Pixels, DateTimeOffset At)
{
    public static RgbFrame Create(int width, int height, ReadOnlyMemory<byte> pixels, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"an RGB24 frame of {width}x{height} has {width * height * 3} bytes, not {pixels.Length}", nameof(pixels));
        }
        return new RgbFrame(width, height, pixels, at);
    }
}
