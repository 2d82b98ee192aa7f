using Microsoft.AspNetCore.Authorization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightNvr.Api.Go2rtc;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Live;
using LightNvr.Live.WebRtc;

namespace LightNvr.Api.WebRtc;

/// <summary>
/// WebRTC signalling over HTTP: go2rtc's <c>POST /go2rtc/api/webrtc?src=NAME</c> (AlexxIT/go2rtc internal/webrtc:
/// a JSON <c>{"type":"offer","sdp":…}</c> body is answered <c>{"type":"answer","sdp":…}</c>; a raw SDP body is
/// answered with raw SDP, <c>201 Created</c> and a <c>Location</c>, which is WHEP (RFC 9725 §4.2)), the WHEP session
/// resource (<c>DELETE</c> ends it; <c>PATCH</c> trickle is accepted and ignored: the server is ICE-lite and puts all
/// its candidates in the answer, §4.3.1), and <c>GET /api/ice-servers</c> (upstream LightNVR's shape).
/// Same roles and stream access check as every live path (Viewer, <see cref="StreamScope"/>, <see cref="LiveStreams.OpenLive"/>).
/// </summary>
public static class WebRtcEndpoints
{
    public const string SessionPrefix = Go2rtcEndpoints.Prefix + "/webrtc/session/";

    /// <summary>Largest offer body read: the SDP cap plus JSON escaping.</summary>
    private const int MaxBodyBytes = 2 * Media.WebRtc.WebRtcAnswerBuilder.MaxOfferLength;

    public static WebApplication MapWebRtcEndpoints(this WebApplication app)
    {
        app.MapPost(Go2rtcEndpoints.Prefix + "/webrtc", OfferAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("src"));
        app.MapDelete(SessionPrefix + "{id}", DeleteAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
        app.MapMethods(SessionPrefix + "{id}", ["PATCH"], Patch).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.None);
        app.MapGet("/api/ice-servers", IceServers).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
        return app;
    }

    private static async Task<IResult> OfferAsync(HttpContext context, LiveStreams streams, WebRtcSessions sessions,
        IAuthorizationService authorization)
    {
        var (stream, refused) = streams.OpenLive(context.Request.Query["src"].ToString());
        if (stream is null)
        {
            return Go2rtcEndpoints.Refused(refused!);
        }

        var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return ApiErrors.Status(413, $"offer larger than {MaxBodyBytes} bytes");
        }

        var json = context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true ||
            body.TrimStart().StartsWith('{');
        string offer;
        if (json)
        {
            try
            {
                var node = JsonNode.Parse(body);
                offer = (string?)node?["sdp"] ?? "";
                if ((string?)node?["type"] is { } type && type != "offer")
                {
                    return ApiErrors.BadRequest($"expected type \"offer\", got \"{type}\"");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                return ApiErrors.BadRequest("body is neither SDP nor JSON {\"type\":\"offer\",\"sdp\":…}");
            }
        }
        else
        {
            offer = body;
        }

        var result = await sessions.OfferAsync(stream, offer, context.Connection.LocalIpAddress,
            Go2rtcEndpoints.Remote(context), context.Request.Headers.UserAgent.ToString(), context.RequestAborted,
            mayTalk: await MayTalkAsync(context, authorization).ConfigureAwait(false)).ConfigureAwait(false);
        if (result.Session is null)
        {
            return ApiErrors.Status(result.Status, result.Error!);
        }

        var location = SessionPrefix + result.Session.Id;
        context.Response.Headers.Location = location;
        if (json)
        {
            return JsonReply.Ok(new JsonObject { ["type"] = "answer", ["sdp"] = result.Answer });
        }

        context.Response.Headers.ETag = "\"" + result.Session.Id + "\"";
        return Results.Text(result.Answer!, "application/sdp", Encoding.UTF8, StatusCodes.Status201Created);
    }

    /// <summary>Two-way audio follows the PTZ move rule: roles that may control cameras (Operator: admin, user, api).</summary>
    private static async Task<bool> MayTalkAsync(HttpContext context, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(context.User, Policies.Operator).ConfigureAwait(false)).Succeeded;

    private static async Task<IResult> DeleteAsync(string id, WebRtcSessions sessions) =>
        await sessions.EndAsync(id).ConfigureAwait(false) ? Results.Ok() : ApiErrors.NotFound("no such WebRTC session");

    private static IResult Patch(string id, WebRtcSessions sessions) =>
        sessions.TryGet(id, out _) ? Results.NoContent() : ApiErrors.NotFound("no such WebRTC session");

    /// <summary>
    /// Upstream's <c>{"ice_servers":[{"urls":[…]}, …]}</c>: <c>[go2rtc] ice_servers</c> when set (comma-separated
    /// stun:/turn: URLs), else the STUN server when <c>stun_enabled</c>, plus the TURN server when <c>turn_enabled</c>.
    /// The TURN password is not sent (viewers never see secrets; upstream sends it in clear to anyone).
    /// </summary>
    private static IResult IceServers(LightNvrConfig config)
    {
        var list = new JsonArray();
        var g = config.Go2rtc;
        if (g.IceServers.Length > 0)
        {
            foreach (var url in g.IceServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(new JsonObject { ["urls"] = new JsonArray(url) });
            }
        }
        else if (g.StunEnabled && g.StunServer.Length > 0)
        {
            var stun = g.StunServer.StartsWith("stun:", StringComparison.OrdinalIgnoreCase) ? g.StunServer : "stun:" + g.StunServer;
            list.Add(new JsonObject { ["urls"] = new JsonArray(stun) });
        }

        if (g.TurnEnabled && g.TurnServerUrl.Length > 0)
        {
            list.Add(new JsonObject { ["urls"] = new JsonArray(g.TurnServerUrl), ["username"] = g.TurnUsername });
        }

        return JsonReply.Ok(new JsonObject { ["ice_servers"] = list });
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
