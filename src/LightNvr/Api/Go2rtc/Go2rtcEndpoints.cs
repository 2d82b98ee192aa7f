using System.Globalization;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Auth;
using LightNvr.Live;
using LightNvr.Restream;

namespace LightNvr.Api.Go2rtc;

/// <summary>
/// go2rtc's HTTP API (AlexxIT/go2rtc website/api/openapi.yaml) under <c>/go2rtc/api</c> on the main web port, behind
/// LightNVR's auth (cookie, API key, Basic): streams (GET; PUT/DELETE of ad-hoc sources for admins), the MSE
/// WebSocket, frame.jpeg, stream.mp4, stream.m3u8 and its HLS session files. Unknown stream → 404 JSON error.
/// </summary>
public static class Go2rtcEndpoints
{
    public const string Prefix = "/go2rtc/api";

    public static WebApplication MapGo2rtcEndpoints(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet(Prefix + "/streams", GetStreamsAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Query("src"));
        app.MapPut(Prefix + "/streams", PutStreamAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.Query("name"));
        app.MapDelete(Prefix + "/streams", DeleteStreamAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.Query("src"));
        app.MapGet(Prefix + "/ws", WebSocketAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Query("src"));
        app.MapGet(Prefix + "/frame.jpeg", FrameAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Query("src"));
        app.MapGet(Prefix + "/stream.mp4", Mp4Async).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Query("src"));
        app.MapGet(Prefix + "/stream.m3u8", HlsEndpoints.MasterAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("src"));
        app.MapGet(Prefix + "/hls/playlist.m3u8", HlsEndpoints.SessionPlaylistAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(HlsEndpoints.SessionScope);
        app.MapGet(Prefix + "/hls/init.mp4", HlsEndpoints.SessionInitAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(HlsEndpoints.SessionScope);
        app.MapGet(Prefix + "/hls/segment.m4s", HlsEndpoints.SessionSegmentAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(HlsEndpoints.SessionScope);
        return app;
    }

    /// <summary>A live request refused by <see cref="LiveStreams.OpenLive"/> (unknown stream, privacy mode).</summary>
    internal static IResult Refused(LiveRefusal refusal) => ApiErrors.Status(refusal.Status, refusal.Message);

    internal static IResult UnknownStream(string? name) =>
        ApiErrors.NotFound(string.IsNullOrEmpty(name) ? "src is required" : $"stream not found: {name}");

    private static async Task<IResult> GetStreamsAsync(HttpContext context, LiveStreams streams, LiveConsumers consumers,
        StreamAccess access)
    {
        var src = context.Request.Query["src"].ToString();
        if (src.Length == 0)
        {
            var allowed = await access.AllowedAsync(Caller.From(context.User), context.RequestAborted);
            return JsonReply.Ok(StreamsJson.All(streams.All.Where(s => allowed?.Contains(s.Name) != false), consumers));
        }

        return streams.TryGet(src, out var stream) ? JsonReply.Ok(StreamsJson.One(stream, consumers)) : UnknownStream(src);
    }

    private static async Task<IResult> PutStreamAsync(HttpRequest request, LiveStreams streams)
    {
        var url = request.Query["src"].ToString();
        var name = request.Query["name"].ToString() is { Length: > 0 } n ? n : url;
        if (FfmpegSourceUrl.Handles(url))
        {
            if (FfmpegSourceUrl.Parse(url, out var error) is null)
            {
                return ApiErrors.BadRequest("src: " + error);
            }
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "rtsp")
        {
            return ApiErrors.BadRequest("src must be an rtsp://, rtsps://, http(s):// or ffmpeg: source");
        }

        return await streams.PutAsync(name, url)
            ? JsonReply.Success()
            : ApiErrors.Conflict($"cannot add '{name}': a camera has that name or {LiveStreams.MaxAdHocSources} sources exist");
    }

    private static async Task<IResult> DeleteStreamAsync(HttpRequest request, LiveStreams streams)
    {
        var name = request.Query["src"].ToString();
        return await streams.DeleteAsync(name) ? JsonReply.Success() : UnknownStream(name);
    }

    private static async Task<IResult> WebSocketAsync(HttpContext context, LiveStreams streams, LiveViewerService viewers)
    {
        var (stream, refused) = streams.OpenLive(context.Request.Query["src"].ToString());
        if (stream is null)
        {
            return Refused(refused!);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiErrors.BadRequest("WebSocket upgrade expected");
        }

        await viewers.RunWebSocketAsync(context, stream);
        return Results.Empty;
    }

    private static async Task<IResult> FrameAsync(HttpContext context, LiveStreams streams, SnapshotService snapshots)
    {
        var q = context.Request.Query;
        var (stream, refused) = streams.OpenLive(q["src"].ToString());
        if (stream is null)
        {
            return Refused(refused!);
        }

        var jpeg = await snapshots.GetAsync(stream, Dimension(q["width"]), Dimension(q["height"]), Remote(context));
        return jpeg is null
            ? ApiErrors.Status(503, $"no picture from stream '{stream.Name}' ({stream.Status.State})")
            : Results.Bytes(jpeg, "image/jpeg");
    }

    private static async Task<IResult> Mp4Async(HttpContext context, LiveStreams streams, LiveViewerService viewers)
    {
        var q = context.Request.Query;
        var (stream, refused) = streams.OpenLive(q["src"].ToString());
        if (stream is null)
        {
            return Refused(refused!);
        }

        var seconds = Dimension(q["duration"]);
        return await viewers.RunMp4Async(context, stream, seconds is { } s ? TimeSpan.FromSeconds(s) : null) is { } refusal
            ? ApiErrors.Status(refusal.Status, refusal.Message)
            : Results.Empty;
    }

    internal static string? Remote(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : null;

    private static int? Dimension(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
}
