namespace LightNvr.Storage;

/// <summary>What one retention pass deleted.</summary>
public sealed class SweepResult
{
    public int Deleted { get; set; }
    public long FreedBytes { get; set; }
}
