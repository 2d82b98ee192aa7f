namespace LightNvr.Data;

/// <summary>One <c>recordings</c> row of an upstream database (times in unix seconds, as upstream stores them) and its tags.</summary>
public sealed record UpstreamRecording(
    string StreamName,
    string FilePath,
    long StartTime,
    long? EndTime,
    long SizeBytes,
    int Width,
    int Height,
    int Fps,
    string Codec,
    bool IsComplete,
    string TriggerType,
    bool Protected,
    int? RetentionOverrideDays,
    IReadOnlyList<string> Tags);
