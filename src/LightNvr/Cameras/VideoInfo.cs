namespace LightNvr.Cameras;

/// <summary>What a stream's video turned out to be: codec name as upstream writes it, coded size, frames per second.</summary>
public sealed record VideoInfo(string Codec, int Width, int Height, int Fps);
