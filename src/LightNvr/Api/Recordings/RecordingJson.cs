using System.Globalization;
using System.Text.Json.Serialization;
using LightNvr.Data;

namespace LightNvr.Api.Recordings;

/// <summary>A recording as upstream's API shows it (lightnvr-api.md §4.1): <c>stream</c>, ISO Z times, human size.</summary>
public sealed record RecordingJson
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("stream")] public required string Stream { get; init; }
    [JsonPropertyName("file_path")] public required string FilePath { get; init; }
    [JsonPropertyName("start_time")] public required string StartTime { get; init; }
    [JsonPropertyName("end_time")] public string? EndTime { get; init; }
    [JsonPropertyName("start_time_unix")] public long StartTimeUnix { get; init; }
    [JsonPropertyName("end_time_unix")] public long? EndTimeUnix { get; init; }
    [JsonPropertyName("duration")] public long Duration { get; init; }
    [JsonPropertyName("size")] public required string Size { get; init; }
    [JsonPropertyName("capture_method")] public required string CaptureMethod { get; init; }
    [JsonPropertyName("schedule_restricted")] public bool? ScheduleRestricted { get; init; }
    [JsonPropertyName("has_detection")] public bool HasDetection { get; init; }
    [JsonPropertyName("protected")] public bool Protected { get; init; }

    /// <summary>Labels of the detections inside the recording, present only when there are some (upstream's shape).</summary>
    [JsonPropertyName("detection_labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DetectionLabelJson>? DetectionLabels { get; init; }

    /// <summary>Present in the list, absent from the single get (upstream's shape).</summary>
    [JsonPropertyName("tags")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tags { get; init; }

    public static RecordingJson From(RecordingRecord r, bool withTags) => new()
    {
        Id = r.Id,
        Stream = r.StreamName,
        FilePath = r.FilePath,
        StartTime = Iso(r.StartTime),
        EndTime = r.EndTime is { } e ? Iso(e) : null,
        StartTimeUnix = r.StartTime.ToUnixTimeSeconds(),
        EndTimeUnix = r.EndTime?.ToUnixTimeSeconds(),
        Duration = r.EndTime is { } end ? Math.Max(0, end.ToUnixTimeSeconds() - r.StartTime.ToUnixTimeSeconds()) : 0,
        Size = HumanSize(r.SizeBytes),
        CaptureMethod = CaptureMethodOf(r.TriggerType),
        HasDetection = r.TriggerType is "detection" or "motion", // event recordings (docs/events.md)
        Protected = r.Protected,
        Tags = withTags ? [] : null,
    };

    /// <summary>
    /// Adds upstream's <c>detection_labels</c> (detections inside the recording's time, from <see cref="DetectionStore"/>):
    /// a continuous segment covering an event then shows <c>has_detection</c> and the event's labels too.
    /// </summary>
    public RecordingJson WithLabels(Dictionary<long, List<(string Label, long Count)>> labels) =>
        labels.TryGetValue(Id, out var list) && list.Count > 0
            ? this with { HasDetection = true, DetectionLabels = [.. list.Select(l => new DetectionLabelJson(l.Label, l.Count))] }
            : this;

    /// <summary>
    /// <paramref name="filePath"/> relative to the storage folder <paramref name="root"/> (forward slashes); a path outside
    /// it is reduced to its file name, so no caller learns the host's folder layout from it.
    /// </summary>
    public static string RelativePath(string filePath, string root)
    {
        var relative = Path.GetRelativePath(root, filePath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? Path.GetFileName(filePath)
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>
    /// Upstream stores continuous recording as trigger_type 'scheduled'; its API calls that capture_method 'continuous'
    /// (§4.1). The other trigger types are shown as stored.
    /// </summary>
    public static string CaptureMethodOf(string triggerType) => triggerType switch
    {
        "scheduled" or "" => "continuous",
        _ => triggerType,
    };

    /// <summary>"512 B", then one decimal with KB, MB or GB (1024-based), as upstream formats it.</summary>
    public static string HumanSize(long bytes)
    {
        const double Kb = 1024, Mb = Kb * 1024, Gb = Mb * 1024;
        return bytes switch
        {
            < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
            < 1024 * 1024 => (bytes / Kb).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
            < 1024L * 1024 * 1024 => (bytes / Mb).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
            _ => (bytes / Gb).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        };
    }

    private static string Iso(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
