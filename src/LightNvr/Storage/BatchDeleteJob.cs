namespace LightNvr.Storage;

/// <summary>Progress of one batch delete (lightnvr-api.md §4.6): pending, running, complete or error.</summary>
public sealed class BatchDeleteJob(string id, int total)
{
    internal int current, succeeded, failed;
    private volatile string _status = "pending";

    public string Id { get; } = id;
    public int Total { get; } = total;
    public string Status { get => _status; internal set => _status = value; }
    public int Current => Volatile.Read(ref current);
    public int Succeeded => Volatile.Read(ref succeeded);
    public int Failed => Volatile.Read(ref failed);
    public string? Error { get; internal set; }
    public bool IsFinished => Status is "complete" or "error";

    /// <summary>Unix time after which a finished job is forgotten.</summary>
    public long ForgetAfter { get; internal set; } = long.MaxValue;
}
