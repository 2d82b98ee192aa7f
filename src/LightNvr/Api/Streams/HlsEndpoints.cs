using System.Globalization;
using LightNvr.Api.Go2rtc;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Live;

namespace LightNvr.Api.Streams;

/// <summary>
/// Live HLS: LightNVR's own <c>/hls/{stream}/index.m3u8</c> (one shared in-memory session per stream, relative
/// <c>init.mp4</c> and <c>{n}.m4s</c>), and go2rtc's <c>stream.m3u8?src=</c> whose master playlist points at a
/// per-client session (<c>hls/playlist.m3u8?id=</c>). Sessions end 30 s after their last request.
/// </summary>
public static class HlsEndpoints
{
    private const string PlaylistType = "application/vnd.apple.mpegurl";

    public static IEndpointRouteBuilder MapHlsEndpoints(this IEndpointRouteBuilder app)
    {
        var hls = app.MapGroup("/hls/{stream}").RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Route("stream"));
        hls.MapGet("/index.m3u8", StreamPlaylistAsync);
        hls.MapGet("/init.mp4", StreamInit);
        hls.MapGet("/{sequence:long}.m4s", StreamSegment);
        return app;
    }

    private static async Task<IResult> StreamPlaylistAsync(string stream, HttpContext context, LiveStreams streams,
        HlsSessions sessions, LiveViewerService viewers)
    {
        var (camera, refused) = streams.OpenLive(stream);
        if (camera is null)
        {
            return Go2rtcEndpoints.Refused(refused!);
        }

        var session = sessions.ForStream(camera, () => viewers.NewConsumer(context, camera, LiveFormats.Hls, "http"));
        return await PlaylistAsync(session, n => n.ToString(CultureInfo.InvariantCulture) + ".m4s", "init.mp4",
            context.RequestAborted);
    }

    private static IResult StreamInit(string stream, HlsSessions sessions) => Init(sessions.Get("stream:" + stream));

    private static IResult StreamSegment(string stream, long sequence, HlsSessions sessions) =>
        Segment(sessions.Get("stream:" + stream), sequence);

    internal static IResult MasterAsync(HttpContext context, LiveStreams streams, HlsSessions sessions,
        LiveViewerService viewers)
    {
        var (camera, refused) = streams.OpenLive(context.Request.Query["src"].ToString());
        if (camera is null)
        {
            return Go2rtcEndpoints.Refused(refused!);
        }

        var session = sessions.Create(camera, () => viewers.NewConsumer(context, camera, LiveFormats.Hls, "http"));
        if (session is null)
        {
            return ApiErrors.Status(503, "too many HLS sessions");
        }

        var body = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\nhls/playlist.m3u8?id=" + session.Id + "\n";
        return Results.Text(body, PlaylistType);
    }

    /// <summary>go2rtc's per-client HLS files name a session, not a stream: the session's stream is checked here.</summary>
    internal static readonly StreamScope SessionScope = StreamScope.Resolved("HLS session id");

    internal static async Task<IResult> SessionPlaylistAsync(HttpContext context, HlsSessions sessions, StreamAccess access)
    {
        var (session, denied) = await SessionAsync(context, sessions, access);
        return denied ?? await PlaylistAsync(session,
            n => "segment.m4s?id=" + session!.Id + "&n=" + n.ToString(CultureInfo.InvariantCulture), "init.mp4?id=" + session?.Id,
            context.RequestAborted);
    }

    internal static async Task<IResult> SessionInitAsync(HttpContext context, HlsSessions sessions, StreamAccess access)
    {
        var (session, denied) = await SessionAsync(context, sessions, access);
        return denied ?? Init(session);
    }

    internal static async Task<IResult> SessionSegmentAsync(HttpContext context, HlsSessions sessions, StreamAccess access)
    {
        if (!long.TryParse(context.Request.Query["n"], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return ApiErrors.BadRequest("n is required");
        }
        var (session, denied) = await SessionAsync(context, sessions, access);
        return denied ?? Segment(session, n);
    }

    /// <summary>The session named by <c>?id=</c> (null when unknown) or a 403 when the caller may not access its stream.</summary>
    private static async Task<(HlsSession? Session, IResult? Denied)> SessionAsync(HttpContext context, HlsSessions sessions,
        StreamAccess access)
    {
        var session = sessions.Get(context.Request.Query["id"].ToString());
        return session is not null && !await access.MayAccessAsync(context, session.Stream.Name)
            ? (null, ApiErrors.Forbidden(StreamAccess.Denied))
            : (session, null);
    }

    private static async Task<IResult> PlaylistAsync(HlsSession? session, Func<long, string> segmentUri, string initUri,
        CancellationToken ct)
    {
        if (session is null)
        {
            return ApiErrors.NotFound("HLS session not found or too many sessions");
        }

        var text = await session.PlaylistAsync(segmentUri, initUri, ct);
        return text is null
            ? ApiErrors.Status(503, session.Error ?? $"stream '{session.Stream.Name}' produced no segment in time")
            : Results.Text(text, PlaylistType);
    }

    private static IResult Init(HlsSession? session) =>
        session?.InitSegment is { } init ? Results.Bytes(init, "video/mp4") : ApiErrors.NotFound("HLS session not found");

    private static IResult Segment(HlsSession? session, long sequence) =>
        session?.Segment(sequence) is { } s ? Results.Bytes(s.Data, "video/iso.segment") : ApiErrors.NotFound("segment not found");
}
