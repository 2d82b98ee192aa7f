using System.Globalization;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Recordings;

/// <summary>
/// Reads <c>GET /api/recordings</c>'s query (lightnvr-api.md §4.3): stream (comma list), start/end (unix seconds or
/// ISO-8601; unparseable = no bound, as upstream), capture_method, has_detection (clamped to -1..1), detection_label
/// (implies has_detection=1), tag, protected (first character 0/1), sort and order.
/// </summary>
public static class RecordingListQuery
{
    public static RecordingQuery From(IQueryCollection q)
    {
        var labels = List(q["detection_label"]);
        var hasDetection = int.TryParse(q["has_detection"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var d)
            ? Math.Clamp(d, -1, 1) : 0;
        var prot = q["protected"].ToString();
        return new RecordingQuery
        {
            Streams = List(q["stream"]),
            Start = TimeQuery.Parse(q["start"]),
            End = TimeQuery.Parse(q["end"]),
            CaptureMethods = List(q["capture_method"]).Where(m => m is "continuous" or "scheduled" or "detection" or "motion" or "manual")
                .ToList(),
            HasDetection = labels.Count > 0 ? 1 : hasDetection,
            DetectionLabels = labels,
            Tags = List(q["tag"]),
            Protected = prot.StartsWith('1') ? true : prot.StartsWith('0') ? false : null,
            Sort = q["sort"].ToString() switch
            {
                "id" => RecordingSort.Id,
                "stream_name" => RecordingSort.StreamName,
                "end_time" => RecordingSort.EndTime,
                "size_bytes" => RecordingSort.SizeBytes,
                _ => RecordingSort.StartTime,
            },
            Ascending = string.Equals(q["order"], "asc", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// The streams the list may show: the requested ones, narrowed to the caller's allowed tags. Empty = all streams
    /// (no restriction); null = nothing visible.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> VisibleStreamsAsync(HttpContext context, RecordingQuery query, CancellationToken ct)
    {
        var allowed = await context.RequestServices.GetRequiredService<StreamAccess>()
            .AllowedAsync(Caller.From(context.User), ct).ConfigureAwait(false);
        if (allowed is null)
        {
            return query.Streams;
        }
        var visible = query.Streams.Count == 0 ? allowed.ToList() : query.Streams.Where(allowed.Contains).ToList();
        return visible.Count == 0 ? null : visible.Take(RecordingQuery.MaxListValues * 8).ToList();
    }

    private static List<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal).Take(RecordingQuery.MaxListValues).ToList();
}
