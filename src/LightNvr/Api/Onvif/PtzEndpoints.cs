using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Onvif;

namespace LightNvr.Api.Onvif;

/// <summary>
/// Upstream's PTZ routes (lightnvr-api.md §3) under <c>/api/streams/{name}/ptz/</c>, through the one stream access
/// check. Upstream has no auth on them; here reading capabilities and presets needs a viewer with access to the
/// stream, and moving the camera (or changing its home and presets) an operator: a viewer watches, an operator steers.
/// Camera failures are 502 (504 on a timeout) with the reason, e.g. "not supported by this camera: this camera has
/// no PTZ service".
/// </summary>
public static class PtzEndpoints
{
    public const string NotEnabled = "PTZ not enabled for this stream";
    public const string NoAxis = "At least one PTZ axis is required";
    public const string MissingPreset = "Missing preset token";

    /// <summary>Longest preset token accepted (ONVIF ReferenceToken is at most 64 characters, ONVIF Core §8.1).</summary>
    public const int MaxPresetToken = 64;

    public static IEndpointRouteBuilder MapPtzEndpoints(this IEndpointRouteBuilder app)
    {
        var ptz = app.MapGroup("/api/streams/{name}/ptz").WithMetadata(StreamScope.Route("name"));
        ptz.MapGet("/capabilities", CapabilitiesAsync).RequireAuthorization(Policies.Viewer);
        ptz.MapGet("/presets", PresetsAsync).RequireAuthorization(Policies.Viewer);
        var control = ptz.MapGroup("").RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.CameraControl);
        control.MapPost("/move", MoveAsync);
        control.MapPost("/stop", StopAsync);
        control.MapPost("/absolute", AbsoluteAsync);
        control.MapPost("/relative", RelativeAsync);
        control.MapPost("/home", HomeAsync);
        control.MapPost("/set-home", SetHomeAsync);
        control.MapPost("/goto-preset", GotoPresetAsync);
        control.MapPut("/preset", SetPresetAsync);
        return app;
    }

    private static async Task<IResult> CapabilitiesAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, streams).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var reply = new JsonObject { ["ptz_enabled"] = stream.PtzEnabled, ["onvif_queried"] = false };
        if (stream.PtzEnabled)
        {
            try
            {
                var (service, node) = await ptz.CapabilitiesAsync(stream, context.RequestAborted).ConfigureAwait(false);
                reply["onvif_queried"] = true;
                reply["ptz_service_url"] = service.AbsoluteUri;
                reply["has_pan_tilt"] = node.HasPanTilt;
                reply["has_zoom"] = node.HasZoom;
                reply["has_continuous_move"] = node.HasContinuousMove;
                reply["has_absolute_move"] = node.HasAbsoluteMove;
                reply["has_relative_move"] = node.HasRelativeMove;
                reply["has_home_position"] = node.HasHome;
                reply["has_presets"] = true; // GetPresets is mandatory for a PTZ node (ONVIF PTZ §5.4); MaximumNumberOfPresets is often absent
                reply["max_presets"] = node.MaxPresets;
                reply["pan_range"] = Range(node.PanRange);
                reply["tilt_range"] = Range(node.TiltRange);
                reply["zoom_range"] = Range(node.ZoomRange);
                // Extension: the speed ranges absolute/relative moves accept (`speed`, `pan_tilt_speed`, `zoom_speed`).
                reply["pan_tilt_speed_range"] = node.PanTiltSpeed is { } pts ? Range(pts) : null;
                reply["zoom_speed_range"] = node.ZoomSpeed is { } zs ? Range(zs) : null;
            }
            catch (OnvifException e)
            {
                return OnvifJson.CameraError(e);
            }
        }
        reply["max_x"] = stream.PtzMaxX;
        reply["max_y"] = stream.PtzMaxY;
        reply["max_z"] = stream.PtzMaxZ;
        reply["has_home"] = stream.PtzHasHome;
        return JsonReply.Ok(reply);
    }

    private static JsonObject Range(PtzRange range) => new() { ["min"] = range.Min, ["max"] = range.Max };

    private static async Task<IResult> PresetsAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithStreamAsync(name, context, streams, async stream =>
        {
            var presets = await ptz.PresetsAsync(stream, context.RequestAborted).ConfigureAwait(false);
            return JsonReply.Ok(new JsonObject
            {
                ["presets"] = new JsonArray([.. presets.Select(p => (JsonNode)new JsonObject { ["token"] = p.Token, ["name"] = p.Name })]),
                ["count"] = presets.Count,
            });
        }).ConfigureAwait(false);

    private static async Task<IResult> MoveAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithBodyAsync(name, context, streams, async (stream, fields) =>
        {
            var (pan, tilt, zoom) = (fields.Number("pan", -1, 1), fields.Number("tilt", -1, 1), fields.Number("zoom", -1, 1));
            if (fields.Error is { } problem)
            {
                return ApiErrors.BadRequest(problem);
            }
            // Upstream's −1..1 first (above, no camera call), then the camera's own velocity spaces (its node, read
            // once per camera session), which may be narrower.
            var node = await ptz.NodeAsync(stream, context.RequestAborted).ConfigureAwait(false);
            foreach (var (axis, value, range) in new[] { ("pan", pan, node.PanVelocity), ("tilt", tilt, node.TiltVelocity), ("zoom", zoom, node.ZoomVelocity) })
            {
                if (value is double v && v != 0 && !range.Contains(v))
                {
                    return ApiErrors.BadRequest($"{axis} must be between {range.Min} and {range.Max} (the camera's velocity range)");
                }
            }
            await ptz.ContinuousMoveAsync(stream, pan ?? 0, tilt ?? 0, zoom ?? 0, context.RequestAborted).ConfigureAwait(false);
            return Done("PTZ move started");
        }).ConfigureAwait(false);

    private static async Task<IResult> StopAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithStreamAsync(name, context, streams, async stream =>
        {
            await ptz.StopAsync(stream, context.RequestAborted).ConfigureAwait(false);
            return Done("PTZ stopped");
        }).ConfigureAwait(false);

    /// <summary>Absolute position, each axis checked against the camera's position space (GetNodes).</summary>
    private static async Task<IResult> AbsoluteAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithBodyAsync(name, context, streams, async (stream, fields) =>
        {
            var (pan, tilt, zoom) = (fields.Number("pan", double.MinValue, double.MaxValue), fields.Number("tilt", double.MinValue, double.MaxValue),
                fields.Number("zoom", double.MinValue, double.MaxValue));
            if (fields.Error is { } problem)
            {
                return ApiErrors.BadRequest(problem);
            }
            if (pan is null && tilt is null && zoom is null)
            {
                return ApiErrors.BadRequest(NoAxis);
            }
            var (_, node) = await ptz.CapabilitiesAsync(stream, context.RequestAborted).ConfigureAwait(false);
            foreach (var (axis, value, range) in new[] { ("pan", pan, node.PanRange), ("tilt", tilt, node.TiltRange), ("zoom", zoom, node.ZoomRange) })
            {
                if (value is double v && !range.Contains(v))
                {
                    return ApiErrors.BadRequest($"{axis} must be between {range.Min} and {range.Max} (the camera's range)");
                }
            }
            var (speed, speedError) = Speed(fields, node);
            if (speedError is not null)
            {
                return ApiErrors.BadRequest(speedError);
            }
            await ptz.AbsoluteMoveAsync(stream, pan, tilt, zoom, context.RequestAborted, speed).ConfigureAwait(false);
            return Done("PTZ absolute move completed");
        }).ConfigureAwait(false);

    /// <summary>A translation in the generic translation spaces (−1..1 per axis, ONVIF PTZ §5.7.3).</summary>
    private static async Task<IResult> RelativeAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithBodyAsync(name, context, streams, async (stream, fields) =>
        {
            var (pan, tilt, zoom) = (fields.Number("pan", -1, 1), fields.Number("tilt", -1, 1), fields.Number("zoom", -1, 1));
            if (fields.Error is { } problem)
            {
                return ApiErrors.BadRequest(problem);
            }
            if (pan is null && tilt is null && zoom is null)
            {
                return ApiErrors.BadRequest(NoAxis);
            }
            PtzSpeed? speed = null;
            if (SpeedFields.Any(fields.Mentions))
            {
                var (_, node) = await ptz.CapabilitiesAsync(stream, context.RequestAborted).ConfigureAwait(false);
                (speed, var speedError) = Speed(fields, node);
                if (speedError is not null)
                {
                    return ApiErrors.BadRequest(speedError);
                }
            }
            await ptz.RelativeMoveAsync(stream, pan, tilt, zoom, context.RequestAborted, speed).ConfigureAwait(false);
            return Done("PTZ relative move completed");
        }).ConfigureAwait(false);

    private static async Task<IResult> HomeAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithStreamAsync(name, context, streams, async stream =>
        {
            await ptz.GotoHomeAsync(stream, context.RequestAborted).ConfigureAwait(false);
            return Done("PTZ moved to home position");
        }).ConfigureAwait(false);

    private static async Task<IResult> SetHomeAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithStreamAsync(name, context, streams, async stream =>
        {
            await ptz.SetHomeAsync(stream, context.RequestAborted).ConfigureAwait(false);
            return Done("PTZ home position set");
        }).ConfigureAwait(false);

    private static async Task<IResult> GotoPresetAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithBodyAsync(name, context, streams, async (stream, fields) =>
        {
            var token = fields.String("token", MaxPresetToken);
            if (fields.Error is { } problem)
            {
                return ApiErrors.BadRequest(problem);
            }
            if (string.IsNullOrEmpty(token))
            {
                return ApiErrors.BadRequest(MissingPreset);
            }
            await ptz.GotoPresetAsync(stream, token, context.RequestAborted).ConfigureAwait(false);
            return Done("PTZ moved to preset");
        }).ConfigureAwait(false);

    private static async Task<IResult> SetPresetAsync(string name, HttpContext context, StreamStore streams, OnvifPtz ptz) =>
        await WithBodyAsync(name, context, streams, async (stream, fields) =>
        {
            var presetName = fields.String("name", OnvifPtz.MaxPresetName);
            if (fields.Error is { } problem)
            {
                return ApiErrors.BadRequest(problem);
            }
            var token = await ptz.SetPresetAsync(stream, presetName, context.RequestAborted).ConfigureAwait(false);
            return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "PTZ preset created", ["token"] = token });
        }).ConfigureAwait(false);

    private static readonly string[] SpeedFields = ["speed", "pan_tilt_speed", "zoom_speed"];

    /// <summary>
    /// The speed of an absolute or relative move. An extension (upstream's JSON has no speed): <c>speed</c> for every
    /// axis the camera has a speed space for, or <c>pan_tilt_speed</c> / <c>zoom_speed</c>; each checked against the
    /// node's PanTiltSpeedSpace / ZoomSpeedSpace (ONVIF PTZ §5.7.4, generic 0..1). Nothing given: the camera's default.
    /// </summary>
    private static (PtzSpeed? Speed, string? Error) Speed(RequestFields fields, PtzNode node)
    {
        var (all, panTilt, zoom) = (fields.Number("speed", double.MinValue, double.MaxValue),
            fields.Number("pan_tilt_speed", double.MinValue, double.MaxValue), fields.Number("zoom_speed", double.MinValue, double.MaxValue));
        if (fields.Error is { } problem)
        {
            return (null, problem);
        }
        if (all is null && panTilt is null && zoom is null)
        {
            return (null, null);
        }
        if (all is not null && node.PanTiltSpeed is null && node.ZoomSpeed is null)
        {
            return (null, "speed is not supported by this camera (its PTZ node reports no speed space)");
        }
        foreach (var (field, value, range, axis) in new[] { ("pan_tilt_speed", panTilt ?? all, node.PanTiltSpeed, "pan/tilt"), ("zoom_speed", zoom ?? all, node.ZoomSpeed, "zoom") })
        {
            var explicitField = field == "pan_tilt_speed" ? panTilt is not null : zoom is not null;
            if (value is double v && range is null && explicitField)
            {
                return (null, $"{field} is not supported by this camera (no {axis} speed space)");
            }
            if (value is double w && range is not null && !range.Contains(w))
            {
                return (null, $"{(explicitField ? field : "speed")} must be between {range.Min} and {range.Max} (the camera's {axis} speed range)");
            }
        }
        return (new PtzSpeed(node.PanTiltSpeed is null ? null : panTilt ?? all, node.ZoomSpeed is null ? null : zoom ?? all), null);
    }

    private static IResult Done(string message) => JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = message });

    /// <summary>The stream (access checked, PTZ enabled), then <paramref name="action"/>; camera failures become 502/504.</summary>
    private static Task<IResult> WithStreamAsync(string name, HttpContext context, StreamStore streams, Func<StreamConfig, Task<IResult>> action) =>
        OnvifJson.WithCameraAsync(name, context, streams, stream => stream.PtzEnabled ? null : NotEnabled, action);

    private static Task<IResult> WithBodyAsync(string name, HttpContext context, StreamStore streams, Func<StreamConfig, RequestFields, Task<IResult>> action) =>
        WithStreamAsync(name, context, streams, async stream =>
        {
            var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
            return body is null ? bodyError! : await action(stream, new RequestFields(body)).ConfigureAwait(false);
        });
}
