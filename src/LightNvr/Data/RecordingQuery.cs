namespace LightNvr.Data;

/// <summary>
/// A page of complete recordings: optional stream, optional time window (a recording is in the window when it
/// starts before <see cref="End"/> and ends after <see cref="Start"/>), newest first. Page is 1-based.
/// </summary>
public sealed record RecordingQuery
{
    /// <summary>Largest page a caller may ask for; upstream's recordings API caps <c>limit</c> at 1000.</summary>
    public const int MaxPageSize = 1000;

    public string? StreamName { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
}
