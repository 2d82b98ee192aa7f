namespace LightNvr.Media.Streaming;

/// <summary>A snapshot of a source's state. <paramref name="Reason"/> never contains credentials.</summary>
/// <param name="State">Current state.</param>
/// <param name="Reason">Why the last attempt failed or ended (Error), else null.</param>
/// <param name="Since">When the state was entered (the supervisor's clock).</param>
/// <param name="Failures">Consecutive failed attempts since the last stable connection.</param>
/// <param name="RetryAt">When the next attempt starts (Error only).</param>
public sealed record SourceStatus(SourceState State, string? Reason, DateTimeOffset Since, int Failures,
    DateTimeOffset? RetryAt)
{
    public static SourceStatus Idle(DateTimeOffset since) => new(SourceState.Idle, null, since, 0, null);
}
