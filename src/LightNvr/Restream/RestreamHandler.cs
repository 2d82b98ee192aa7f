using System.Text;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Live;
using LightNvr.Media.Rtsp.Server;
using LightNvr.Media.Streaming;
using LightNvr.Relay;

namespace LightNvr.Restream;

/// <summary>
/// What our RTSP server's paths mean: <c>/&lt;stream&gt;</c> is the hub of the camera of that name, or of a go2rtc
/// ad-hoc source (<see cref="LiveStreams"/>, as go2rtc serves those over RTSP too); publishing
/// is allowed into streams whose url is their own path on this server (<see cref="SelfUrl"/>), and into streams with an
/// <see cref="FfmpegSourceUrl"/> only for their own ffmpeg (<see cref="FfmpegSourceCredential"/>). Authentication is
/// HTTP Basic against the server's users (PBKDF2 hashes, with the 60 s positive cache and the login rate limiter of
/// the web API), unless <c>[web] auth_enabled = false</c>; a user's <c>allowed_login_cidrs</c> apply as on the web.
/// Any active user may read the streams its tags allow;
/// publishing takes a role above viewer (the API's Operator policy). No credential is ever logged.
/// </summary>
public sealed partial class RestreamHandler(
    CameraService cameras,
    LiveStreams streams,
    PublishRegistry publishers,
    CredentialVerifier verifier,
    LoginRateLimiter limiter,
    DemoPublisherCredential demo,
    FfmpegSourceCredential ffmpegSources,
    ConfigSnapshots config,
    ILogger<RestreamHandler> logger,
    NodeRelayCredential? nodeRelay = null,
    ICameraLeases? leases = null) : IRtspServerHandler
{
    public async ValueTask<RtspAuthorization> AuthorizeAsync(RtspAccessRequest request, CancellationToken cancellationToken)
    {
        if (request.Access == RtspAccess.Publish && request.StreamName == DemoCameraNames.StreamName &&
            demo.Matches(request.Authorization))
        {
            return RtspAuthorization.Allowed;
        }

        if (request.Access == RtspAccess.Publish && ffmpegSources.Matches(request.Authorization))
        {
            // Our own ffmpeg child: only into a stream whose source it is.
            return IsFfmpegSourced(request.StreamName) ? RtspAuthorization.Allowed : RtspAuthorization.Forbidden;
        }

        if (request.Access != RtspAccess.Publish && streams.PrivacyRefusal(request.StreamName) is not null)
        {
            LogPrivate(request.StreamName, request.Remote);
            return RtspAuthorization.Forbidden; // privacy mode: no restream for any role, auth on or off
        }

        if (nodeRelay is not null && leases is { Enabled: true } && TryParseBasic(request.Authorization, out var nodeUser, out var nodePassword) &&
            NodeRelayCredential.IsNodeUser(nodeUser))
        {
            return await AuthorizeNodeAsync(request, nodeUser, nodePassword, nodeRelay, cancellationToken).ConfigureAwait(false);
        }

        if (!config.Current.Web.AuthEnabled)
        {
            return RtspAuthorization.Allowed;
        }

        if (!TryParseBasic(request.Authorization, out var username, out var password))
        {
            return RtspAuthorization.Unauthorized;
        }

        var ip = request.RemoteAddress?.ToString() ?? "";
        if (limiter.IsLimited(LoginChannel.Rtsp, username, ip))
        {
            LogRateLimited(username, request.Remote);
            return RtspAuthorization.Unauthorized;
        }

        // The web login's check (LightNvrAuthenticationHandler): a user outside its allowed_login_cidrs is treated
        // as wrong credentials (401, counted by the limiter), so RTSP does not tell that the password was right.
        var user = await verifier.VerifyBasicAsync(username, password, cancellationToken).ConfigureAwait(false);
        if (user is null || !LoginCidrs.Allows(user.AllowedLoginCidrs, request.RemoteAddress))
        {
            limiter.RecordFailure(LoginChannel.Rtsp, username, ip);
            LogRejected(username, request.Remote);
            return RtspAuthorization.Unauthorized;
        }

        limiter.RecordSuccess(LoginChannel.Rtsp, username, ip);
        var caller = new Caller(user.Id, user.Username, user.Role, Caller.FromBasic, null, user.AllowedTags);
        if (request.Access == RtspAccess.Publish && (user.Role == Role.Viewer || IsFfmpegSourced(request.StreamName)))
        {
            return RtspAuthorization.Forbidden;
        }

        if (streams.TryGet(request.StreamName, out var camera) && !caller.MayAccessStream(camera.Config.Tags))
        {
            return RtspAuthorization.Forbidden;
        }

        return RtspAuthorization.Allowed;
    }

    /// <summary>
    /// Another recorder node relaying live view (docs/scale.md "Live view on any node"): the cluster credential, for
    /// reading only, and only a camera whose lease this node holds, so two nodes that both lack it never relay from
    /// each other (the asking node falls back to the camera). Checked whether or not auth is on; rate limited as users.
    /// </summary>
    private async ValueTask<RtspAuthorization> AuthorizeNodeAsync(RtspAccessRequest request, string user, string password,
        NodeRelayCredential credential, CancellationToken ct)
    {
        var ip = request.RemoteAddress?.ToString() ?? "";
        if (limiter.IsLimited(LoginChannel.Rtsp, user, ip))
        {
            LogRateLimited(user, request.Remote);
            return RtspAuthorization.Unauthorized;
        }

        if (!await credential.MatchesAsync(user, password, ct).ConfigureAwait(false))
        {
            limiter.RecordFailure(LoginChannel.Rtsp, user, ip);
            LogRejected(user, request.Remote);
            return RtspAuthorization.Unauthorized;
        }

        limiter.RecordSuccess(LoginChannel.Rtsp, user, ip);
        if (request.Access == RtspAccess.Publish)
        {
            return RtspAuthorization.Forbidden;
        }

        if (leases is null || !leases.Holds(request.StreamName))
        {
            LogNodeRelayRefused(request.StreamName, request.Remote);
            return RtspAuthorization.Forbidden;
        }

        LogNodeRelay(request.StreamName, request.Remote);
        return RtspAuthorization.Allowed;
    }

    /// <summary>A stream fed by our own ffmpeg child: nobody else publishes into it.</summary>
    private bool IsFfmpegSourced(string name) => streams.TryGet(name, out var stream) && FfmpegSourceUrl.Handles(stream.Config.Url);

    /// <summary>The hub to play; null (404) for an unknown stream or one in privacy mode (checked again here: belt and braces).</summary>
    public StreamHub? FindStream(string name) => streams.OpenLive(name).Stream?.Hub;

    public IRtspPublishTarget? StartPublishing(string name, out int statusCode)
    {
        if (!cameras.TryGet(name, out var camera))
        {
            // An ad-hoc go2rtc source (PUT /go2rtc/api/streams) fed by its own ffmpeg.
            statusCode = IsFfmpegSourced(name) ? 200 : 404;
            return statusCode == 200 ? publishers.Get(name).StartPublisher() : null;
        }

        if (!SelfUrl.IsPublishUrl(camera.Config.Url, name, config.Current.Go2rtc, config.Current.Web)
            && !FfmpegSourceUrl.Handles(camera.Config.Url))
        {
            statusCode = 403; // a camera stream: its source is the camera, not a publisher
            return null;
        }

        statusCode = 200;
        LogPublishing(name);
        return publishers.Get(name).StartPublisher();
    }

    /// <summary>RFC 7617 §2: <c>Basic base64(user-id ":" password)</c>.</summary>
    private static bool TryParseBasic(string? header, out string username, out string password)
    {
        username = password = "";
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = header.AsSpan(6).Trim();
        var bytes = new byte[((token.Length * 3) / 4) + 3];
        if (!Convert.TryFromBase64Chars(token, bytes, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        username = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP: rejected credentials of user {User} from {Remote}")]
    private partial void LogRejected(string user, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTSP: user {User} from {Remote} is rate limited")]
    private partial void LogRateLimited(string user, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP: publisher connected to stream {Stream}")]
    private partial void LogPublishing(string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP: node relay of {Stream} to {Remote}")]
    private partial void LogNodeRelay(string stream, string? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP: node relay of {Stream} refused to {Remote}: this node does not hold its lease")]
    private partial void LogNodeRelayRefused(string stream, string? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP restream of {Stream} refused to {Remote}: privacy mode")]
    private partial void LogPrivate(string stream, string? remote);
}
