namespace LightNvr.Storage;

/// <summary>The storage manager's figures for <c>GET /api/storage/health</c> (lightnvr-api.md §11).</summary>
public sealed record StorageHealth
{
    public PressureLevel PressureLevel { get; init; }
    public double FreeSpacePct { get; init; }
    public long LastCheckTime { get; init; }
    public long LastCleanupTime { get; init; }
    public int LastCleanupDeleted { get; init; }
    public long LastCleanupFreed { get; init; }
}
