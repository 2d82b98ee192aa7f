using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Api.Recordings;

/// <summary>
/// The timeline (lightnvr-api.md §5), all Viewer (upstream left segments, manifest and play open). Segment times are
/// strings in the server's local zone plus unix <c>*_timestamp</c>s, as upstream. <c>play</c> redirects (302) to
/// <c>/api/recordings/play/{id}#t=OFFSET</c>: the media-fragment tells a browser player where to start, and the
/// <c>X-Playback-Offset</c> header gives the same seconds to API clients (docs/recordings-api.md).
/// </summary>
public static class TimelineEndpoints
{
    /// <summary>Upstream's cap on segments in one timeline reply (24 h of 10 s segments).</summary>
    public const int MaxSegments = 8640;

    /// <summary>Segments in one HLS manifest, as upstream.</summary>
    public const int MaxManifestSegments = 100;

    /// <summary>How far from the asked moment <c>play</c> looks for the nearest recording: upstream's ±1 h.</summary>
    public static readonly TimeSpan MaxPlaySearch = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapTimelineEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/timeline/segments", SegmentsAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("stream"));
        app.MapGet("/api/timeline/segments-by-ids", ByIdsAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Resolved("recording ids"));
        app.MapGet("/api/timeline/manifest", ManifestAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("stream"));
        app.MapGet("/api/timeline/play", PlayAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Query("stream"));
        return app;
    }

    /// <summary>Events listed as detection intervals at most (one per 10 s of a full day).</summary>
    public const int MaxIntervals = 8640;

    private static async Task<IResult> SegmentsAsync(HttpContext context, RecordingStore store, EventStore events, StreamStore streams,
        TimeProvider time)
    {
        var (stream, start, end, error) = await WindowAsync(context, time).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var rows = await store.ListOverlappingAsync(stream, start, end, MaxSegments, context.RequestAborted).ConfigureAwait(false);
        var json = Body(rows, time);
        // Upstream's intervals are detections' times: here the events (docs/events.md), with their id and label so the
        // timeline can jump to one; an open event reaches to now.
        var intervals = await events.OverlappingAsync(stream, start.ToUnixTimeSeconds(), end.ToUnixTimeSeconds(), MaxIntervals,
            context.RequestAborted).ConfigureAwait(false);
        AddIntervals(json, intervals, time.GetUtcNow().ToUnixTimeSeconds());
        await AddScheduleAsync(json, stream, start, end, streams, time, context.RequestAborted).ConfigureAwait(false);
        json["stream"] = stream;
        json["start_time"] = Local(start, time);
        json["end_time"] = Local(end, time);
        return JsonReply.Ok(json);
    }

    /// <summary><c>detection_intervals</c> (one per event) and <c>has_detection</c> on the segments they overlap.</summary>
    private static void AddIntervals(JsonObject json, IReadOnlyList<EventRecord> intervals, long now)
    {
        json["detection_intervals"] = new JsonArray([.. intervals.Select(e => (JsonNode)new JsonObject
        {
            ["start_timestamp"] = e.StartTime, ["end_timestamp"] = e.EndTime ?? now, ["event_id"] = e.Id, ["label"] = e.Label,
        })]);
        foreach (var segment in ((JsonArray)json["segments"]!).Select(n => n!.AsObject()))
        {
            var (s, e) = ((long)segment["start_timestamp"]!, (long)segment["end_timestamp"]!);
            if (intervals.Any(i => i.StartTime <= e && (i.EndTime ?? now) >= s))
            {
                segment["has_detection"] = true;
            }
        }
        json["detection_interval_count"] = intervals.Count;
    }

    /// <summary>
    /// <c>schedule_restricted_spans</c>: where the stream's weekly schedule holds continuous recording off in the
    /// window (server local time, DST included: <see cref="RecordingSchedule.OffSpans"/>); empty when <c>record</c> or
    /// <c>record_on_schedule</c> is off. The timeline greys these out, so a gap there is the schedule, not a fault.
    /// </summary>
    private static async Task AddScheduleAsync(JsonObject json, string stream, DateTimeOffset start, DateTimeOffset end,
        StreamStore streams, TimeProvider time, CancellationToken ct)
    {
        var config = await streams.GetAsync(stream, ct).ConfigureAwait(false);
        var spans = config is not null && RecordingSchedule.IsRestricted(config)
            ? RecordingSchedule.OffSpans(config.RecordingSchedule, start, end, time.LocalTimeZone)
            : [];
        json["record_on_schedule"] = config?.RecordOnSchedule ?? false;
        json["schedule_restricted_spans"] = new JsonArray([.. spans.Select(sp => (JsonNode)new JsonObject
        {
            ["start_timestamp"] = sp.Start.ToUnixTimeSeconds(), ["end_timestamp"] = sp.End.ToUnixTimeSeconds(),
        })]);
    }

    private static async Task<IResult> ByIdsAsync(string? ids, HttpContext context, RecordingStore store, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(ids))
        {
            return ApiErrors.BadRequest("Missing required parameter: ids");
        }
        var list = ids.Split(',', StringSplitOptions.TrimEntries).Select(t => RecordingAccess.TryParseId(t, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().Take(MaxSegments).ToList();
        if (list.Count == 0)
        {
            return ApiErrors.BadRequest("No valid recording IDs provided");
        }
        var rows = new List<RecordingRecord>();
        foreach (var row in await store.GetManyAsync(list, context.RequestAborted).ConfigureAwait(false))
        {
            if (!row.Deleting && await RecordingAccess.MayAccessAsync(row.StreamName, context).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        rows.Sort((a, b) => a.StartTime.CompareTo(b.StartTime));
        var json = Body(rows, time);
        json["stream"] = "(selected)";
        json["multi_stream"] = true;
        json["start_time"] = rows.Count > 0 ? Local(rows[0].StartTime, time) : "";
        json["end_time"] = rows.Count > 0 ? Local(End(rows[^1], time), time) : "";
        return JsonReply.Ok(json);
    }

    private static async Task<IResult> ManifestAsync(HttpContext context, RecordingStore store, TimeProvider time)
    {
        var (stream, start, end, error) = await WindowAsync(context, time).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var rows = (await store.ListOverlappingAsync(stream, start, end, MaxManifestSegments, context.RequestAborted).ConfigureAwait(false))
            .Where(r => r.IsComplete && r.EndTime is not null).ToList();
        if (rows.Count == 0)
        {
            return ApiErrors.NotFound("No recordings found for the specified time range");
        }
        var longest = rows.Max(r => (r.EndTime!.Value - r.StartTime).TotalSeconds);
        var m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-PLAYLIST-TYPE:VOD\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(1, (int)Math.Ceiling(longest))}\n");
        foreach (var r in rows)
        {
            m3u8.Append("#EXT-X-DISCONTINUITY\n")
                .Append(CultureInfo.InvariantCulture, $"#EXTINF:{(r.EndTime!.Value - r.StartTime).TotalSeconds:0.000},\n")
                .Append(CultureInfo.InvariantCulture, $"/api/recordings/play/{r.Id}\n");
        }
        m3u8.Append("#EXT-X-ENDLIST\n");
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Text(m3u8.ToString(), "application/vnd.apple.mpegurl", Encoding.UTF8);
    }

    private static async Task<IResult> PlayAsync(HttpContext context, RecordingStore store, TimeProvider time)
    {
        var stream = context.Request.Query["stream"].ToString();
        if (string.IsNullOrEmpty(stream))
        {
            return ApiErrors.BadRequest("Missing required parameter: stream");
        }
        var text = context.Request.Query["start"].ToString();
        if (TimeQuery.IsInvalid(text))
        {
            return ApiErrors.BadRequest("Invalid start time format");
        }
        if (!await RecordingAccess.MayAccessAsync(stream, context).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden("Stream access denied");
        }
        var at = TimeQuery.Parse(text) ?? time.GetUtcNow();
        var rows = await store.ListOverlappingAsync(stream, at - MaxPlaySearch, at + MaxPlaySearch, MaxSegments,
            context.RequestAborted).ConfigureAwait(false);
        var covering = rows.FirstOrDefault(r => r.StartTime <= at && End(r, time) > at)
            ?? rows.OrderBy(r => Math.Min(Math.Abs((r.StartTime - at).Ticks), Math.Abs((End(r, time) - at).Ticks))).FirstOrDefault();
        if (covering is null)
        {
            return ApiErrors.NotFound("No recordings found for the specified time");
        }
        var offset = Math.Max(0, (long)(at - covering.StartTime).TotalSeconds);
        context.Response.Headers["X-Playback-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        return Results.Redirect(string.Create(CultureInfo.InvariantCulture, $"/api/recordings/play/{covering.Id}#t={offset}"));
    }

    /// <summary>stream (required, visible to the caller), start/end (default: the last 24 h; a bare end date means its end).</summary>
    private static async Task<(string? Stream, DateTimeOffset Start, DateTimeOffset End, IResult? Error)> WindowAsync(
        HttpContext context, TimeProvider time)
    {
        var q = context.Request.Query;
        var stream = q["stream"].ToString();
        if (string.IsNullOrEmpty(stream))
        {
            return (null, default, default, ApiErrors.BadRequest("Missing required parameter: stream"));
        }
        if (!await RecordingAccess.MayAccessAsync(stream, context).ConfigureAwait(false))
        {
            return (null, default, default, ApiErrors.Forbidden("Stream access denied"));
        }
        var now = time.GetUtcNow();
        var end = TimeQuery.Parse(q["end"]) ?? now;
        if (q["end"].ToString().Trim().Length == 10)
        {
            end = end.AddSeconds(86399);
        }
        var start = TimeQuery.Parse(q["start"]) ?? end.AddDays(-1);
        return end < start
            ? (null, default, default, ApiErrors.BadRequest("end must not be before start"))
            : (stream, start, end, null);
    }

    private static JsonObject Body(IReadOnlyList<RecordingRecord> rows, TimeProvider time) => new()
    {
        ["segments"] = new JsonArray([.. rows.Select(r => (JsonNode)Segment(r, time))]),
        ["segment_count"] = rows.Count,
    };

    private static JsonObject Segment(RecordingRecord r, TimeProvider time)
    {
        var end = End(r, time);
        return new JsonObject
        {
            ["id"] = r.Id, ["stream"] = r.StreamName, ["start_time"] = Local(r.StartTime, time), ["end_time"] = Local(end, time),
            ["duration"] = (long)(end - r.StartTime).TotalSeconds, ["size"] = RecordingJson.HumanSize(r.SizeBytes),
            ["has_detection"] = r.TriggerType is "detection" or "motion", ["schedule_restricted"] = null,
            ["start_timestamp"] = r.StartTime.ToUnixTimeSeconds(), ["end_timestamp"] = end.ToUnixTimeSeconds(),
            ["local_start_timestamp"] = r.StartTime.ToUnixTimeSeconds(), ["local_end_timestamp"] = end.ToUnixTimeSeconds(),
            ["is_complete"] = r.IsComplete,
        };
    }

    /// <summary>An open segment ends now.</summary>
    private static DateTimeOffset End(RecordingRecord r, TimeProvider time) => r.EndTime ?? time.GetUtcNow();

    private static string Local(DateTimeOffset t, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(t, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
