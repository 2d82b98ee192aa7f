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
/// its candidates in the answer, §4.3.1; an ICE restart is refused 422; <c>OPTIONS</c> on both), and <c>GET /api/ice-servers</c> (upstream LightNVR's shape).
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
        app.MapMethods(SessionPrefix + "{id}", ["PATCH"], PatchAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.None);
        app.MapMethods(Go2rtcEndpoints.Prefix + "/webrtc", ["OPTIONS"], EndpointOptions).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.None);
        app.MapMethods(SessionPrefix + "{id}", ["OPTIONS"], SessionOptions).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.None);
        app.MapGet("/api/ice-servers", IceServersAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
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
        if (result.TalkRefused is { } talkRefused)
        {
            context.Response.Headers["X-Talk-Refused"] = talkRefused;
        }

        if (json)
        {
            var answer = new JsonObject { ["type"] = "answer", ["sdp"] = result.Answer };
            if (result.TalkRefused is not null)
            {
                answer["talk_refused"] = result.TalkRefused; // the player shows it when push-to-talk is pressed
            }

            return JsonReply.Ok(answer);
        }

        context.Response.Headers.ETag = result.Session.ETag;
        return Results.Text(result.Answer!, "application/sdp", Encoding.UTF8, StatusCodes.Status201Created);
    }

    /// <summary>Two-way audio follows the PTZ move rule: roles that may control cameras (Operator: admin, user, api).</summary>
    private static async Task<bool> MayTalkAsync(HttpContext context, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(context.User, Policies.Operator).ConfigureAwait(false)).Succeeded;

    private static async Task<IResult> DeleteAsync(string id, WebRtcSessions sessions) =>
        await sessions.EndAsync(id).ConfigureAwait(false) ? Results.Ok() : ApiErrors.NotFound("no such WebRTC session");

    /// <summary>
    /// WHEP trickle ICE and ICE restart (RFC 9725 §4.3.1, which WHEP follows): the body must be
    /// <c>application/trickle-ice-sdpfrag</c> (RFC 8840) else 415; an <c>If-Match</c> that is neither <c>*</c> nor the
    /// session's ETag gets 412. Candidates are answered 204 and discarded (ICE-lite: every server candidate is in the
    /// answer and the client's address is learnt from its checks, which the RFC allows: "silently discard"). A new
    /// <c>a=ice-ufrag</c> asks for an ICE restart, which this server does not do: 422, as the RFC wants from a session
    /// that supports trickle but not restarts; the player starts a new session instead.
    /// </summary>
    private static async Task<IResult> PatchAsync(string id, HttpContext context, WebRtcSessions sessions)
    {
        if (!sessions.TryGet(id, out var session))
        {
            return ApiErrors.NotFound("no such WebRTC session");
        }

        if (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), SdpFragType, StringComparison.OrdinalIgnoreCase))
        {
            return ApiErrors.Status(415, $"PATCH takes {SdpFragType} (RFC 8840)");
        }

        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != session.ETag)
        {
            return ApiErrors.Status(412, "If-Match is not this session's ETag");
        }

        var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return ApiErrors.Status(413, $"fragment larger than {MaxBodyBytes} bytes");
        }

        foreach (var line in body.Split('\n'))
        {
            var t = line.Trim();
            if (t.StartsWith("a=ice-ufrag:", StringComparison.Ordinal) && t["a=ice-ufrag:".Length..] != session.RemoteUfrag)
            {
                return ApiErrors.Status(422, "ICE restart is not supported: start a new session");
            }
        }

        return Results.NoContent();
    }

    private const string SdpFragType = "application/trickle-ice-sdpfrag";

    /// <summary>The WHEP endpoint's OPTIONS (RFC 9110 §9.3.7): what it takes.</summary>
    private static IResult EndpointOptions(HttpContext context)
    {
        context.Response.Headers.Allow = "OPTIONS, POST";
        context.Response.Headers.Append("Accept-Post", "application/sdp, application/json");
        return Results.NoContent();
    }

    /// <summary>The session resource's OPTIONS: PATCH takes trickle-ICE fragments (RFC 5789 §3.1 Accept-Patch).</summary>
    private static IResult SessionOptions(string id, HttpContext context, WebRtcSessions sessions)
    {
        if (!sessions.TryGet(id, out _))
        {
            return ApiErrors.NotFound("no such WebRTC session");
        }

        context.Response.Headers.Allow = "OPTIONS, PATCH, DELETE";
        context.Response.Headers.Append("Accept-Patch", SdpFragType);
        return Results.NoContent();
    }

    /// <summary>
    /// Upstream's <c>{"ice_servers":[{"urls":[…]}, …]}</c>: <c>[go2rtc] ice_servers</c> when set (comma-separated
    /// stun:/turn: URLs), else the STUN server when <c>stun_enabled</c>, plus the TURN server when <c>turn_enabled</c>.
    /// TURN credentials: with <c>turn_auth_secret</c> a day-long REST-style credential for the signed-in user, for
    /// every role; else <c>turn_username</c>, and <c>turn_password</c> only for Operator roles (upstream sends it in
    /// clear to anyone; a viewer account is the one most likely shared, and a static password cannot be revoked).
    /// </summary>
    private static async Task<IResult> IceServersAsync(HttpContext context, LightNvrConfig config, TimeProvider time,
        IAuthorizationService authorization)
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
            var turn = new JsonObject { ["urls"] = new JsonArray(g.TurnServerUrl) };
            if (g.TurnAuthSecret.Length > 0)
            {
                var user = context.User.Identity?.Name is { Length: > 0 } name ? name : "viewer";
                var (username, credential) = TurnCredentials.Create(g.TurnAuthSecret, user, time.GetUtcNow());
                turn["username"] = username;
                turn["credential"] = credential;
            }
            else
            {
                turn["username"] = g.TurnUsername;
                if (g.TurnPassword.Length > 0 &&
                    (await authorization.AuthorizeAsync(context.User, Policies.Operator).ConfigureAwait(false)).Succeeded)
                {
                    turn["credential"] = g.TurnPassword;
                }
            }

            list.Add(turn);
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
