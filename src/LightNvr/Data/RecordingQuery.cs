namespace LightNvr.Data;

/// <summary>
/// A page of complete recordings: optional stream, optional time window, newest first. Page is 1-based. As upstream
/// (lightnvr-api.md §4.3) both bounds compare the recording's <b>start</b>: <c>Start ≤ start_time ≤ End</c>, which
/// keeps the query on the (is_complete, stream_name, start_time) index.
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
