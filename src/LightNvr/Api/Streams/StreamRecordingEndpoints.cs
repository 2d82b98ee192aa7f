using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Recording;

namespace LightNvr.Api.Streams;

/// <summary>
/// Manual recording and refresh (lightnvr-api.md §2.3): <c>GET/POST /api/streams/{name}/recording</c> reads or
/// starts/stops a recording on demand (rows with <c>trigger_type</c> <c>manual</c>, written by the stream's recorder
/// through <c>RecordingFiles</c>), <c>POST /api/streams/{name}/refresh</c> reconnects the camera. The stream access
/// check runs before the handler (route scope); the handler adds upstream's 404.
/// </summary>
public static class StreamRecordingEndpoints
{
    public static RouteGroupBuilder MapStreamRecordingEndpoints(this RouteGroupBuilder streams)
    {
        streams.MapGet("/{name}/recording", GetAsync).RequireAuthorization(Policies.Viewer);
        streams.MapPost("/{name}/recording", PostAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(AuthMessages.RecordingControl);
        streams.MapPost("/{name}/refresh", RefreshAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(AuthMessages.StreamWrite);
        return streams;
    }

    private static async Task<IResult> GetAsync(string name, HttpContext context, StreamStore store, RecordingService recording,
        EventRecordingService events)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, store).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var state = recording.StateOf(name);
        var eventRecorder = events.Recorders.FirstOrDefault(r => r.StreamName == name && r.IsRecording);
        var method = state.Trigger switch
        {
            StreamRecorder.TriggerType => "continuous",
            StreamRecorder.ManualTriggerType => "manual",
            _ => eventRecorder is null ? null : "detection",
        };
        var viewer = Caller.From(context.User)?.Role == Role.Viewer;
        return JsonReply.Ok(new JsonObject
        {
            ["stream"] = name,
            ["state"] = method is null ? "idle" : state.Trigger is not null && state.RecordingId is null ? "starting" : "recording",
            ["recording_active"] = method is not null,
            ["capture_method"] = method,
            ["recording_id"] = state.RecordingId,
            ["manual_control_allowed"] = !viewer && !state.ContinuousInEffect,
            ["manual_control_reason"] = viewer ? "read_only" : state.ContinuousInEffect ? "continuous_recording" : null,
            // ours: when a manual recording stops by itself ([storage] manual_recording_max_minutes), null otherwise
            ["manual_stops_at"] = state.ManualStopsAt?.ToUnixTimeSeconds(),
        });
    }

    private static async Task<IResult> PostAsync(string name, HttpContext context, StreamStore store, RecordingService recording,
        EventRecordingService events)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, store).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var action = new RequestFields(body).String("action", 16);
        if (action is not ("start" or "stop"))
        {
            return ApiErrors.BadRequest("action must be 'start' or 'stop'");
        }
        return action == "stop"
            ? await StopAsync(name, recording).ConfigureAwait(false)
            : await StartAsync(stream, recording, events).ConfigureAwait(false);
    }

    private static async Task<IResult> StopAsync(string name, RecordingService recording) =>
        await recording.StopManualAsync(name).ConfigureAwait(false) == ManualRecordingOutcome.Stopped
            ? Reply(name, "stop", "idle", StatusCodes.Status200OK)
            : ApiErrors.Conflict("Only an active manual recording can be stopped here");

    private static async Task<IResult> StartAsync(StreamConfig stream, RecordingService recording, EventRecordingService events)
    {
        if (events.Recorders.Any(r => r.StreamName == stream.Name && r.IsRecording))
        {
            return ApiErrors.Conflict("A continuous, detection, or manual recording is already active");
        }
        return await recording.StartManualAsync(stream.Name).ConfigureAwait(false) switch
        {
            ManualRecordingOutcome.Started => Reply(stream.Name, "start", "starting", StatusCodes.Status202Accepted),
            ManualRecordingOutcome.ContinuousConfigured => ApiErrors.Conflict("Continuous recording is configured for this stream"),
            ManualRecordingOutcome.AlreadyActive => ApiErrors.Conflict("A continuous, detection, or manual recording is already active"),
            _ => ApiErrors.Conflict(stream.Enabled ? "Stream is not running yet" : "Stream is disabled"),
        };
    }

    private static async Task<IResult> RefreshAsync(string name, HttpContext context, StreamStore store, CameraService cameras)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, store).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        if (cameras.Refresh(name) is not { } wait)
        {
            return ApiErrors.Conflict(stream.Enabled ? "Stream is not running yet" : "Stream is disabled");
        }
        var reply = new JsonObject { ["success"] = true };
        if (wait > 0)
        {
            reply["coalesced"] = true;
            reply["message"] = "Stream refresh already requested recently";
            reply["stream"] = name;
            reply["retry_after_seconds"] = wait;
        }
        else
        {
            reply["message"] = "Stream refresh request accepted and processing";
            reply["stream"] = name;
        }
        return JsonReply.Ok(reply, StatusCodes.Status202Accepted);
    }

    private static IResult Reply(string name, string action, string state, int status) => JsonReply.Ok(new JsonObject
    {
        ["success"] = true, ["stream"] = name, ["action"] = action, ["state"] = state,
    }, status);
}
