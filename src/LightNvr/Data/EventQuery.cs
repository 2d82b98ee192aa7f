namespace LightNvr.Data;

/// <summary>
/// Filters of <c>GET /api/events</c>. <see cref="Streams"/> null = every stream; an empty set = none (a tag-limited
/// caller with no streams). Times are unix seconds and compare the event's start.
/// </summary>
public sealed record EventQuery
{
    /// <summary>Largest page (as the recordings list).</summary>
    public const int MaxLimit = 1000;

    public IReadOnlyCollection<string>? Streams { get; init; }
    public string? Source { get; init; }
    public string? Label { get; init; }
    public long? Start { get; init; }
    public long? End { get; init; }
    public int Page { get; init; } = 1;
    public int Limit { get; init; } = 20;
}
