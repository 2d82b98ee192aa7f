using LightNvr.Api.Streams;
using LightNvr.Api.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Detection;

namespace LightNvr.Api.Detection;

/// <summary>
/// <c>GET/POST/DELETE /api/streams/{name}/zones</c> (lightnvr-api.md §2.4) with upstream's JSON. Deliberate differences
/// (docs/detection.md): a zone upstream would skip silently (no id, name or polygon; fewer than 3 points; points outside
/// 0–1; a self-intersecting polygon; too many points) is a 400 naming the zone and the problem, and nothing is saved;
/// an unknown stream is 404 for GET too; writes need a role that may change streams (upstream let viewers write).
/// </summary>
public static class ZoneEndpoints
{
    public const string Saved = "Zones saved successfully";
    public const string Deleted = "Zones deleted successfully";
    public const string MissingZones = "Missing or invalid 'zones' array";

    public static IEndpointRouteBuilder MapZoneEndpoints(this IEndpointRouteBuilder app)
    {
        var zones = app.MapGroup("/api/streams/{name}").WithMetadata(StreamScope.Route("name"));
        zones.MapGet("/zones", GetAsync).RequireAuthorization(Policies.Viewer);
        zones.MapPost("/zones", SaveAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.StreamWrite);
        zones.MapDelete("/zones", DeleteAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.StreamWrite);
        return app;
    }

    private static async Task<IResult> GetAsync(string name, HttpContext context, StreamStore streams, ZoneStore store)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, streams).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var array = new JsonArray();
        foreach (var zone in await store.ListAsync(stream.Name, context.RequestAborted).ConfigureAwait(false))
        {
            array.Add(ToJson(zone));
        }
        return JsonReply.Ok(new JsonObject { ["zones"] = array });
    }

    private static async Task<IResult> SaveAsync(string name, HttpContext context, StreamStore streams, ZoneStore store)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, streams).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var (zones, problem) = ParseZones(body, stream.Name);
        if (zones is null)
        {
            return ApiErrors.BadRequest(problem!);
        }

        if (await store.ReplaceAsync(stream.Name, zones, context.RequestAborted).ConfigureAwait(false) is { } taken)
        {
            return ApiErrors.Conflict($"Zone '{taken}': the id is already used by another stream");
        }
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = Saved, ["count"] = zones.Count });
    }

    /// <summary>Every zone of the body checked (shape, polygon rules, ids unique in the request); the first problem otherwise.</summary>
    private static (List<DetectionZone>? Zones, string? Problem) ParseZones(JsonObject body, string stream)
    {
        if (body["zones"] is not JsonArray array)
        {
            return (null, MissingZones);
        }
        if (array.Count > ZoneRules.MaxZones)
        {
            return (null, $"Too many zones ({array.Count}; at most {ZoneRules.MaxZones})");
        }

        var zones = new List<DetectionZone>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var (zone, problem) = Parse(array[i], i, stream);
            problem ??= zone is null ? null : ZoneRules.Problem(zone);
            if (problem is not null)
            {
                return (null, problem);
            }
            if (zones.Any(z => z.Id == zone!.Id))
            {
                return (null, $"Zone '{zone!.Id}': the id is used twice");
            }
            zones.Add(zone!);
        }

        return (zones, null);
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext context, StreamStore streams, ZoneStore store)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, streams).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        await store.DeleteAllAsync(stream.Name, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = Deleted });
    }

    /// <summary>One zone object of the body with upstream's defaults, or why it is not one.</summary>
    private static (DetectionZone? Zone, string? Problem) Parse(JsonNode? node, int index, string stream)
    {
        var where = $"Zone {index + 1}";
        if (node is not JsonObject o)
        {
            return (null, $"{where}: not an object");
        }
        if (Text(o, "id") is not { } id)
        {
            return (null, $"{where}: 'id' (a string) is required");
        }
        where = $"Zone '{id}'";
        if (Text(o, "name") is not { } zoneName)
        {
            return (null, $"{where}: 'name' (a string) is required");
        }
        if (o["polygon"] is not JsonArray points)
        {
            return (null, $"{where}: 'polygon' (an array of {{\"x\":..,\"y\":..}}) is required");
        }
        if (points.Count > ZoneRules.MaxPoints)
        {
            return (null, $"{where}: polygon has {points.Count} points (at most {ZoneRules.MaxPoints})");
        }
        var polygon = new List<ZonePoint>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] is not JsonObject p || Number(p, "x") is not { } x || Number(p, "y") is not { } y)
            {
                return (null, $"{where}: point {i + 1} must be an object with numbers x and y");
            }
            polygon.Add(new ZonePoint(x, y));
        }
        if (o["enabled"] is { } enabled && enabled.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return (null, $"{where}: 'enabled' must be true or false");
        }
        if (o.ContainsKey("min_confidence") && Number(o, "min_confidence") is null)
        {
            return (null, $"{where}: 'min_confidence' must be a number");
        }
        return (new DetectionZone
        {
            Id = id, StreamName = stream, Name = zoneName, Polygon = polygon,
            Enabled = o["enabled"]?.GetValue<bool>() ?? false, // upstream: absent means disabled
            Color = Text(o, "color") ?? DetectionZone.DefaultColor,
            FilterClasses = Text(o, "filter_classes") ?? "",
            MinConfidence = Number(o, "min_confidence") ?? 0,
        }, null);
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static double? Number(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && double.IsFinite(d)
            ? d
            : null;

    private static JsonObject ToJson(DetectionZone z)
    {
        var polygon = new JsonArray();
        foreach (var p in z.Polygon)
        {
            polygon.Add(new JsonObject { ["x"] = p.X, ["y"] = p.Y });
        }
        return new JsonObject
        {
            ["id"] = z.Id, ["stream_name"] = z.StreamName, ["name"] = z.Name, ["enabled"] = z.Enabled, ["color"] = z.Color,
            ["polygon"] = polygon, ["filter_classes"] = z.FilterClasses,
            ["min_confidence"] = Math.Round(z.MinConfidence, 6, MidpointRounding.AwayFromZero),
        };
    }
}
