using LightNvr.Api.Http;
using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Api.Events;

/// <summary>
/// The events list and one event (docs/events.md): <c>GET /api/events?stream=&amp;source=&amp;label=&amp;start=&amp;end=&amp;page=&amp;limit=</c>
/// and <c>GET /api/events/{id}</c>. Viewers may read; a tag-limited caller sees only its streams' events.
/// </summary>
public static class EventEndpoints
{
    public const string InvalidSource = "Invalid source (motion, object, onvif, external)";

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", ListAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(new StreamScope(StreamScopeKind.Query, "stream", "without stream: filtered to the caller's streams"));
        app.MapGet("/api/events/{id}", GetAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Resolved("event id"));
        app.MapEventFeedEndpoint();
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, EventStore events, StreamAccess access)
    {
        var allowed = await access.AllowedAsync(Caller.From(context.User), context.RequestAborted).ConfigureAwait(false);
        var (query, error) = ParseQuery(context.Request.Query, allowed);
        if (query is null)
        {
            return ApiErrors.BadRequest(error!);
        }

        var (rows, total) = await events.ListAsync(query, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["events"] = new JsonArray([.. rows.Select(r => (JsonNode)EventJson.ToJson(r))]),
            ["total"] = total,
            ["page"] = query.Page,
            ["pages"] = (total + query.Limit - 1) / query.Limit,
            ["limit"] = query.Limit,
        });
    }

    /// <summary>The list filters, narrowed to the streams the caller may see (<paramref name="allowed"/> null = all).</summary>
    private static (EventQuery? Query, string? Error) ParseQuery(IQueryCollection q, IReadOnlyCollection<string>? allowed)
    {
        string? source = null;
        if (q["source"].ToString() is { Length: > 0 } s)
        {
            if (!EventSources.TryParse(s, out var parsed))
            {
                return (null, InvalidSource);
            }
            source = EventSources.Name(parsed);
        }
        foreach (var name in new[] { "start", "end" })
        {
            if (TimeQuery.IsInvalid(q[name]))
            {
                return (null, $"Invalid '{name}' (unix seconds or ISO-8601)");
            }
        }

        var streams = allowed;
        if (q["stream"].ToString() is { Length: > 0 } stream)
        {
            streams = allowed is null || allowed.Contains(stream) ? [stream] : [];
        }

        var limit = Number(q["limit"], 20);
        return (new EventQuery
        {
            Streams = streams,
            Source = source,
            Label = q["label"].ToString() is { Length: > 0 } l ? l : null,
            Start = TimeQuery.Parse(q["start"])?.ToUnixTimeSeconds(),
            End = TimeQuery.Parse(q["end"])?.ToUnixTimeSeconds(),
            Page = Math.Max(1, Number(q["page"], 1)),
            Limit = limit <= 0 ? 20 : Math.Min(limit, EventQuery.MaxLimit),
        }, null);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, EventStore events, StreamAccess access)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId) || eventId <= 0)
        {
            return ApiErrors.BadRequest("Invalid event ID");
        }
        var row = await events.GetAsync(eventId, context.RequestAborted).ConfigureAwait(false);
        if (row is null)
        {
            return ApiErrors.NotFound("Event not found");
        }
        if (!await access.MayAccessAsync(context, row.StreamName).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden(StreamAccess.Denied);
        }
        return JsonReply.Ok(EventJson.ToJson(row));
    }

    /// <summary>A page or limit: an integer, else the default (as the recordings list: never a 400).</summary>
    private static int Number(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;
}
