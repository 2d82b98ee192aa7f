namespace LightNvr.Data;

/// <summary>
/// A page of complete recordings with every upstream filter (lightnvr-api.md §4.3): streams, start/end (both compare
/// the recording's start, as upstream does), capture method, detection, detection label, tag, protected; sort, order
/// and a 1-based page. Lists never show open segments nor rows being deleted.
/// </summary>
public sealed record RecordingQuery
{
    /// <summary>Largest page a caller may ask for; upstream's recordings API caps <c>limit</c> at 1000.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Most values in one comma list (streams, tags, labels, methods): upstream caps stream lists at 32.</summary>
    public const int MaxListValues = 32;

    /// <summary>One stream (kept for callers that filter a single stream); combined with <see cref="Streams"/>.</summary>
    public string? StreamName { get; init; }
    public IReadOnlyList<string> Streams { get; init; } = [];
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public IReadOnlyList<string> CaptureMethods { get; init; } = [];

    /// <summary>1 only with detections, -1 only without, 0 no filter.</summary>
    public int HasDetection { get; init; }
    public IReadOnlyList<string> DetectionLabels { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool? Protected { get; init; }
    public RecordingSort Sort { get; init; } = RecordingSort.StartTime;
    public bool Ascending { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;

    /// <summary>Every stream the query names (<see cref="StreamName"/> and <see cref="Streams"/>).</summary>
    public IReadOnlyList<string> AllStreams =>
        StreamName is null ? Streams : [StreamName, .. Streams.Where(s => s != StreamName)];
}
