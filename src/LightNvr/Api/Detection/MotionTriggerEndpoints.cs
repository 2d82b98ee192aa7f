using LightNvr.Api.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Api.Streams;

namespace LightNvr.Api.Detection;

/// <summary>
/// <c>POST /api/motion/trigger</c> (lightnvr-api.md §7): another system says something happened on a stream.
/// <c>start</c> holds an event open until <c>stop</c> (at most <see cref="EventService.MaxHold"/>), <c>pulse</c> for
/// <c>duration_ms</c>; each then ends its post-detection buffer later. Errors and the 202 body are upstream's.
/// </summary>
public static class MotionTriggerEndpoints
{
    /// <summary>Upstream: <c>duration_ms</c> 1–600,000, default 2,000.</summary>
    public const int MaxDurationMs = 600_000;

    public const int DefaultDurationMs = 2000;

    /// <summary>Upstream uses at most 20 entries of <c>objects</c>.</summary>
    public const int MaxObjects = 20;

    /// <summary>Upstream accepts at most 16 <c>tags</c>.</summary>
    public const int MaxTags = 16;

    /// <summary>Longest label kept (upstream's label field is 32 bytes; longer ones are cut, not refused).</summary>
    public const int MaxLabelLength = 64;

    public static IEndpointRouteBuilder MapMotionTriggerEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/motion/trigger", TriggerAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("stream in the body"));
        return app;
    }

    private static async Task<IResult> TriggerAsync(HttpContext context, EventService events, StreamStore streams, TimeProvider time)
    {
        var (body, _) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var (request, error) = body is null ? (null, "Invalid or missing JSON body") : MotionTriggerRequest.Parse(body);
        if (request is null)
        {
            return ApiErrors.BadRequest(error!);
        }
        var (stream, missing) = await StreamEndpoints.FindAsync(request.Stream, context, streams).ConfigureAwait(false);
        if (stream is null)
        {
            return missing!;
        }

        var stored = 0;
        if (request.Action == "stop")
        {
            events.Release(stream.Name, ObservationSource.External, null);
        }
        else
        {
            stored = events.TriggerExternal(stream.Name, request.Labels, request.HoldFor, request.Tags, time.GetUtcNow());
            if (stored == 0)
            {
                return ApiErrors.Status(StatusCodes.Status503ServiceUnavailable, "Event queue full, try again");
            }
        }

        return JsonReply.Ok(Reply(stream, request, stored), StatusCodes.Status202Accepted);
    }

    private static JsonObject Reply(StreamConfig stream, MotionTriggerRequest request, int stored)
    {
        var reply = new JsonObject
        {
            ["success"] = true,
            ["stream"] = stream.Name,
            ["action"] = request.Action,
        };
        if (request.Action == "pulse")
        {
            reply["duration_ms"] = request.DurationMs;
        }
        // Upstream: true when detection-based recording acts on the trigger (with continuous recording on too, the
        // event marks the continuous segments instead of writing a second file).
        reply["recording_triggered"] = request.Action != "stop" && stream.DetectionBasedRecording;
        reply["detections_stored"] = stored;
        // Tags go onto the event's recording once it exists (event recording); continuous segments are not tagged.
        reply["tags_applied"] = request.Action != "stop" && EventRecordingService.RecordsEvents(stream) ? request.Tags.Count : 0;
        if (!stream.DetectionBasedRecording)
        {
            reply["warning"] = "Detection-based recording is disabled for this stream";
        }
        return reply;
    }
}
