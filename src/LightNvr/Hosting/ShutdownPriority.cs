namespace LightNvr.Hosting;

/// <summary>
/// Shutdown priorities (upstream's shutdown coordinator order): higher stops first, so consumers stop before the
/// streaming core they read from. Components with equal priority stop concurrently.
/// </summary>
public static class ShutdownPriority
{
    public const int Detection = 100;
    public const int Recorders = 80;
    public const int LiveStreaming = 60;
    public const int StreamingCore = 0;
}
