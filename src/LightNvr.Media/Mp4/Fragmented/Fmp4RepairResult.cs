namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>What <see cref="Fmp4Repair"/> found and did.</summary>
public sealed record Fmp4RepairResult
{
    public required long OriginalLength { get; init; }

    /// <summary>Length after repair (equal to <see cref="OriginalLength"/> when nothing was cut).</summary>
    public required long Length { get; init; }

    public long BytesRemoved => OriginalLength - Length;

    /// <summary>False when not even the init segment (ftyp+moov) is complete: nothing can be played, nothing was cut.</summary>
    public required bool HasInitSegment { get; init; }

    public required int FragmentCount { get; init; }

    /// <summary>Samples per track (moov order) up to the last complete fragment.</summary>
    public required IReadOnlyList<int> SampleCounts { get; init; }

    /// <summary>Duration of the longest track, from its sample durations.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Why the tail was cut, or null.</summary>
    public string? Problem { get; init; }
}
