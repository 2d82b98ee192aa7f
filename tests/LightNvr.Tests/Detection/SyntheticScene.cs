namespace LightNvr.Tests.Detection;

/// <summary>
/// Gray test frames for the motion detector: a textured static background (gradients and a checker, so the gain fit
/// has something to fit), optional uniform sensor noise, a global gain/offset (fades, light switches) and a square.
/// Deterministic (seeded).
/// </summary>
internal sealed class SyntheticScene(int width = 320, int height = 180, int seed = 1)
{
    private readonly Random _random = new(seed);

    public int Width { get; } = width;
    public int Height { get; } = height;

    /// <summary>Uniform noise amplitude: each pixel gets ±this many gray levels, new every frame.</summary>
    public int Noise { get; set; }

    public double Gain { get; set; } = 1;
    public double Offset { get; set; }

    public byte Background(int x, int y) =>
        (byte)(60 + (x * 80 / Width) + (y * 40 / Height) + ((((x / 16) + (y / 16)) % 2) * 30));

    /// <summary>A frame with a square of side <paramref name="size"/> at (x, y) when <paramref name="square"/> is true.</summary>
    public byte[] Frame(int squareX = 0, int squareY = 0, int size = 0, byte squareLevel = 240)
    {
        var frame = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                double v = size > 0 && x >= squareX && x < squareX + size && y >= squareY && y < squareY + size
                    ? squareLevel
                    : Background(x, y);
                v = (v * Gain) + Offset;
                if (Noise > 0)
                {
                    v += _random.Next(-Noise, Noise + 1);
                }
                frame[(y * Width) + x] = (byte)Math.Clamp(Math.Round(v), 0, 255);
            }
        }
        return frame;
    }
}
