using System.Globalization;
using System.Text;
using LightNvr.Media.Streaming;

namespace LightNvr.Media.Rtsp.Server;

internal sealed partial class RtspServerConnection
{
    /// <summary>Methods we implement, for OPTIONS (RFC 2326 §10.1) and 405/501 answers.</summary>
    private const string PublicMethods = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, ANNOUNCE, RECORD";

    /// <summary>Answers one request; never throws for anything a client sends.</summary>
    private async ValueTask<RtspResponse> HandleAsync(RtspRequest request)
    {
        var cseq = request.Headers["CSeq"];
        if (cseq is null || !int.TryParse(cseq.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Reply(request, 400, "Bad Request"); // RFC 2326 §12.17: CSeq is required
        }

        if (request.Headers["Session"] is { } session && _sessionId is not null &&
            RtspSessionHeader.TryParse(session, out var header) && header.Id != _sessionId)
        {
            return Reply(request, 454, "Session Not Found");
        }

        return request.Method switch
        {
            "OPTIONS" => WithHeader(Reply(request, 200, "OK"), "Public", PublicMethods),
            "GET_PARAMETER" or "SET_PARAMETER" => Reply(request, 200, "OK"),
            "DESCRIBE" => await DescribeAsync(request).ConfigureAwait(false),
            "SETUP" => await SetupAsync(request).ConfigureAwait(false),
            "PLAY" => Play(request),
            "PAUSE" => await PauseAsync(request).ConfigureAwait(false),
            "TEARDOWN" => await TeardownAsync(request).ConfigureAwait(false),
            "ANNOUNCE" => await AnnounceAsync(request).ConfigureAwait(false),
            "RECORD" => Record(request),
            _ => WithHeader(Reply(request, 501, "Not Implemented"), "Public", PublicMethods),
        };
    }

    private async ValueTask<RtspResponse> DescribeAsync(RtspRequest request)
    {
        if (!RtspRequestPath.TryParse(request.Uri, out var path))
        {
            return Reply(request, 400, "Bad Request");
        }

        if (await CheckAccessAsync(request, path.StreamName, RtspAccess.Read).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        if (_handler.FindStream(path.StreamName) is not { } hub)
        {
            return Reply(request, 404, "Not Found");
        }

        if (!await EnsureSubscriptionAsync(hub, path.StreamName).ConfigureAwait(false))
        {
            return Reply(request, 503, "Service Unavailable"); // source not connected, or no track we can send
        }

        var tracks = SendableTracks(hub);
        var address = LocalAddress.IsIPv4MappedToIPv6 ? LocalAddress.MapToIPv4() : LocalAddress;
        var sdp = RtspServerSdp.Build(tracks, path.StreamName, _server.SessionVersion, address.ToString());
        var response = Reply(request, 200, "OK");
        response.Headers.Add("Content-Base", BaseUrl(path.StreamName) + "/");
        response.Headers.Add("Content-Type", "application/sdp");
        response.Body = Encoding.UTF8.GetBytes(sdp);
        return response;
    }

    /// <summary>
    /// Subscribes to the hub (which starts an on-demand source) and waits until its tracks are known and every video
    /// track has parameter sets, bounded by <see cref="RtspServerOptions.DescribeTimeout"/>.
    /// </summary>
    private async ValueTask<bool> EnsureSubscriptionAsync(StreamHub hub, string name)
    {
        if (_subscription is not null && _streamName != name)
        {
            await StopPlayingAsync().ConfigureAwait(false);
            _subscription.Dispose();
            _subscription = null;
        }

        _streamName = name;
        try
        {
            _subscription ??= hub.Subscribe("rtsp", Remote);
        }
        catch (ObjectDisposedException)
        {
            return false; // the stream was stopped a moment ago
        }

        var deadline = _time.GetTimestamp();
        while (true)
        {
            var tracks = hub.Tracks;
            if (tracks.Count > 0 && tracks.All(t => t.Kind != MediaKind.Video || LatestTrack(hub, t).IsReady))
            {
                return SendableTracks(hub).Count > 0;
            }

            if (_time.GetElapsedTime(deadline) >= _options.DescribeTimeout)
            {
                return tracks.Count > 0 && SendableTracks(hub).Count > 0;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, _cts.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The hub's tracks, each replaced by the newest version seen in frames (in-band parameter sets).</summary>
    private static MediaTrack LatestTrack(StreamHub hub, MediaTrack track) =>
        HubTrackWatcher.For(hub).Latest(track.Id) ?? track;

    private static List<MediaTrack> SendableTracks(StreamHub hub) =>
        hub.Tracks.Select(t => LatestTrack(hub, t)).Where(RtspServerSdp.CanSend).ToList();

    private string BaseUrl(string streamName)
    {
        var address = LocalAddress.IsIPv4MappedToIPv6 ? LocalAddress.MapToIPv4() : LocalAddress;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var escaped = string.Join('/', streamName.Split('/').Select(Uri.EscapeDataString));
        return $"rtsp://{host}:{LocalPort}/{escaped}";
    }

    private RtspResponse Play(RtspRequest request)
    {
        if (_sessionId is null || request.Headers["Session"] is null)
        {
            return Reply(request, 454, "Session Not Found");
        }

        if (_state == RtspSessionState.Recording || _outgoing.Count == 0)
        {
            return Reply(request, 455, "Method Not Valid in This State");
        }

        // Take what is queued (the cached GOP) now, so RTP-Info can give each track's first RTP timestamp.
        _initialFrames.Clear();
        while (_state != RtspSessionState.Playing && _subscription is not null &&
               _initialFrames.Count < Streaming.HubSubscription.DefaultCapacity && _subscription.TryRead(out var frame))
        {
            _initialFrames.Add(frame);
        }

        var response = Reply(request, 200, "OK");
        response.Headers.Add("Range", "npt=0.000-");
        var info = _outgoing.Select(t =>
        {
            var first = _initialFrames.Find(f => f.Track.Id == t.Id);
            var rtptime = t.FirstRtpTimestamp ?? (first is null ? null : t.Packetizer.TimestampOf(first.Pts));
            return $"url={t.ControlUrl};seq={t.Packetizer.NextSequence}" + (rtptime is { } ts ? $";rtptime={ts}" : "");
        });
        response.Headers.Add("RTP-Info", string.Join(',', info));
        return response;
    }

    private async ValueTask<RtspResponse> PauseAsync(RtspRequest request)
    {
        if (_sessionId is null)
        {
            return Reply(request, 454, "Session Not Found");
        }

        if (_state != RtspSessionState.Playing)
        {
            return Reply(request, _state == RtspSessionState.Ready ? 200 : 455,
                _state == RtspSessionState.Ready ? "OK" : "Method Not Valid in This State");
        }

        await StopPlayingAsync().ConfigureAwait(false);
        _subscription?.Dispose(); // PLAY again starts from the cached keyframe
        _subscription = null;
        _state = RtspSessionState.Ready;
        return Reply(request, 200, "OK");
    }

    private async ValueTask<RtspResponse> TeardownAsync(RtspRequest request)
    {
        await StopPlayingAsync().ConfigureAwait(false);
        _subscription?.Dispose();
        _subscription = null;
        foreach (var track in _outgoing)
        {
            track.Dispose();
        }

        _outgoing.Clear();
        EndPublishing();
        var response = Reply(request, 200, "OK");
        _sessionId = null;
        _state = RtspSessionState.Init;
        return response;
    }

    /// <summary>Checks credentials for a stream; null when allowed, else the 401/403 answer.</summary>
    private async ValueTask<RtspResponse?> CheckAccessAsync(RtspRequest request, string stream, RtspAccess access)
    {
        var authorization = request.Headers["Authorization"];
        var key = $"{access}\n{stream}\n{authorization}";
        if (_authorized == key)
        {
            return null;
        }

        var result = await _handler.AuthorizeAsync(
                new RtspAccessRequest(stream, access, authorization, Remote) { RemoteAddress = RemoteAddress }, _cts.Token)
            .ConfigureAwait(false);
        switch (result)
        {
            case RtspAuthorization.Allowed:
                _authorized = key;
                _authenticated = true;
                return null;
            case RtspAuthorization.Forbidden:
                _server.Statistics.CountAuthFailure();
                return Reply(request, 403, "Forbidden");
            default:
                _server.Statistics.CountAuthFailure();
                return WithHeader(Reply(request, 401, "Unauthorized"), "WWW-Authenticate",
                    $"Basic realm=\"{_options.Realm}\"");
        }
    }

    private RtspResponse Reply(RtspRequest request, int status, string reason)
    {
        var response = new RtspResponse(status, reason);
        response.Headers.Add("CSeq", request.Headers["CSeq"] ?? "0");
        response.Headers.Add("Server", "LightNVR");
        if (_sessionId is not null && status != 454)
        {
            response.Headers.Add("Session", $"{_sessionId};timeout={(int)_options.SessionTimeout.TotalSeconds}");
        }

        return response;
    }

    private static RtspResponse WithHeader(RtspResponse response, string name, string value)
    {
        response.Headers.Add(name, value);
        return response;
    }
}
