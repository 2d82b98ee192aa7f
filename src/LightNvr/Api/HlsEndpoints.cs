using System.Globalization;
using LightNvr.Auth;
using LightNvr.Live;

namespace LightNvr.Api;

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
        app.MapGet("/hls/{stream}/index.m3u8", StreamPlaylistAsync).RequireAuthorization(Policies.Viewer);
        app.MapGet("/hls/{stream}/init.mp4", StreamInit).RequireAuthorization(Policies.Viewer);
        app.MapGet("/hls/{stream}/{sequence:long}.m4s", StreamSegment).RequireAuthorization(Policies.Viewer);
        return app;
    }

    private static async Task<IResult> StreamPlaylistAsync(string stream, HttpContext context, LiveStreams streams,
        HlsSessions sessions, LiveViewerService viewers)
    {
        if (!streams.TryGet(stream, out var camera))
        {
            return Go2rtcEndpoints.UnknownStream(stream);
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
        var name = context.Request.Query["src"].ToString();
        if (!streams.TryGet(name, out var camera))
        {
            return Go2rtcEndpoints.UnknownStream(name);
        }

        var session = sessions.Create(camera, () => viewers.NewConsumer(context, camera, LiveFormats.Hls, "http"));
        if (session is null)
        {
            return ApiErrors.Status(503, "too many HLS sessions");
        }

        var body = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\nhls/playlist.m3u8?id=" + session.Id + "\n";
        return Results.Text(body, PlaylistType);
    }

    internal static async Task<IResult> SessionPlaylistAsync(HttpContext context, HlsSessions sessions)
    {
        var session = sessions.Get(context.Request.Query["id"].ToString());
        return await PlaylistAsync(session, n => "segment.m4s?id=" + session!.Id + "&n=" + n.ToString(CultureInfo.InvariantCulture),
            "init.mp4?id=" + session?.Id, context.RequestAborted);
    }

    internal static IResult SessionInit(HttpRequest request, HlsSessions sessions) =>
        Init(sessions.Get(request.Query["id"].ToString()));

    internal static IResult SessionSegment(HttpRequest request, HlsSessions sessions) =>
        long.TryParse(request.Query["n"], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? Segment(sessions.Get(request.Query["id"].ToString()), n)
            : ApiErrors.BadRequest("n is required");

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
