namespace LightNvr.Detection;

/// <summary>The decoder's second output for object detection: RGB24 of <paramref name="Width"/>×<paramref name="Height"/> every <paramref name="IntervalSeconds"/> to a Unix socket.</summary>
public sealed record RgbOutput(int Width, int Height, int IntervalSeconds, string SocketPath);
