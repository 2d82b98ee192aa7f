using System.Buffers;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp.Server;

internal sealed partial class RtspServerConnection
{
    /// <summary>Largest interleaved RTP packet copied off the pipe for a publisher's depacketizer.</summary>
    private const int MaxIncomingPacket = RtspLimits.MaxInterleavedPayload;

    private readonly List<RtspTrack> _incoming = [];
    private readonly Dictionary<int, (RtspTrack Track, bool Rtcp)> _incomingByChannel = [];
    private IRtspPublishTarget? _target;
    private CancellationTokenRegistration _revoked;
    private byte[]? _packetBuffer;

    /// <summary>ANNOUNCE, RFC 2326 §10.3: the publisher's SDP; tracks the depacketizers carry become the stream's.</summary>
    private async ValueTask<RtspResponse> AnnounceAsync(RtspRequest request)
    {
        if (_state != RtspSessionState.Init || _target is not null)
        {
            return Reply(request, 455, "Method Not Valid in This State");
        }

        if (!RtspRequestPath.TryParse(request.Uri, out var path))
        {
            return Reply(request, 400, "Bad Request");
        }

        if (await CheckAccessAsync(request, path.StreamName, RtspAccess.Publish).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var type = request.Headers["Content-Type"];
        if (type is null || !type.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            return Reply(request, 415, "Unsupported Media Type");
        }

        if (!SdpSessionDescription.TryParse(request.Body.Span, out var sdp, out _) || sdp is null)
        {
            return Reply(request, 400, "Bad Request");
        }

        var baseUrl = request.Uri.TrimEnd('/');
        var tracks = new List<RtspTrack>();
        foreach (var media in sdp.Media)
        {
            if (RtspTrack.TryCreate(tracks.Count, media, baseUrl, _time, OnPublishedFrame, out _) is { } track)
            {
                tracks.Add(track);
            }
        }

        if (tracks.Count == 0)
        {
            return Reply(request, 415, "Unsupported Media Type"); // nothing we could record or serve
        }

        if (_handler.StartPublishing(path.StreamName, out var status) is not { } target)
        {
            return Reply(request, status, status == 403 ? "Forbidden" : "Not Found");
        }

        _target = target;
        _revoked = target.Revoked.Register(Close);
        _incoming.AddRange(tracks);
        _streamName = path.StreamName;
        _sessionId ??= NewSessionId();
        _server.Statistics.CountPublish();
        return Reply(request, 200, "OK");
    }

    /// <summary>SETUP with mode=record: TCP interleaved only (UDP publishing is not offered: 461).</summary>
    private RtspResponse SetupRecord(RtspRequest request, RtspTransportHeader transport)
    {
        if (_target is null)
        {
            return Reply(request, 455, "Method Not Valid in This State"); // ANNOUNCE first
        }

        if (!transport.IsTcp)
        {
            return Reply(request, 461, "Unsupported Transport");
        }

        var track = FindIncomingTrack(request.Uri);
        if (track is null)
        {
            return Reply(request, 404, "Not Found");
        }

        var channels = transport.Interleaved ?? (track.Id * 2, (track.Id * 2) + 1);
        if (_incomingByChannel.ContainsKey(channels.Rtp) || _incomingByChannel.ContainsKey(channels.Rtcp))
        {
            return Reply(request, 461, "Unsupported Transport");
        }

        _incomingByChannel[channels.Rtp] = (track, false);
        _incomingByChannel[channels.Rtcp] = (track, true);
        _state = RtspSessionState.Ready;
        var response = Reply(request, 200, "OK");
        response.Headers.Add("Transport", new RtspTransportHeader { Protocol = "RTP/AVP/TCP", Interleaved = channels } + ";mode=record");
        return response;
    }

    /// <summary>The announced track a SETUP URL names: same control URL, same last segment, or the next one in order.</summary>
    private RtspTrack? FindIncomingTrack(string uri)
    {
        var withoutUser = RtspUrl.Redact(uri);
        var match = _incoming.Find(t => string.Equals(t.ControlUrl, withoutUser, StringComparison.Ordinal));
        if (match is null && RtspRequestPath.TryParse(uri, out var path) && path.LastSegment is { } last)
        {
            match = _incoming.Find(t => t.ControlUrl.EndsWith("/" + last, StringComparison.Ordinal));
        }

        return match ?? _incoming.Find(t => !IsSetUp(t));
    }

    /// <summary>RECORD, RFC 2326 §10.11: from now on interleaved RTP feeds the target.</summary>
    private RtspResponse Record(RtspRequest request)
    {
        if (_sessionId is null)
        {
            return Reply(request, 454, "Session Not Found");
        }

        if (_target is null || _incomingByChannel.Count == 0 || _state == RtspSessionState.Playing)
        {
            return Reply(request, 455, "Method Not Valid in This State");
        }

        var set = _incoming.Where(IsSetUp).Select(t => t.Track).ToList();
        if (_state != RtspSessionState.Recording)
        {
            _target.OnTracks(set);
            _state = RtspSessionState.Recording;
        }

        return Reply(request, 200, "OK");
    }

    /// <summary>An interleaved frame from the client: a publisher's RTP/RTCP, or a player's RTCP receiver report.</summary>
    private void OnInterleaved(byte channel, in ReadOnlySequence<byte> payload)
    {
        if (_state != RtspSessionState.Recording || !_incomingByChannel.TryGetValue(channel, out var entry))
        {
            return; // receiver reports from players and packets before RECORD are only a sign of life
        }

        var length = (int)Math.Min(payload.Length, MaxIncomingPacket);
        ReadOnlySpan<byte> packet;
        if (payload.IsSingleSegment)
        {
            packet = payload.FirstSpan;
        }
        else
        {
            _packetBuffer ??= new byte[MaxIncomingPacket];
            payload.Slice(0, length).CopyTo(_packetBuffer);
            packet = _packetBuffer.AsSpan(0, length);
        }

        if (entry.Rtcp)
        {
            entry.Track.PushRtcp(packet);
        }
        else
        {
            entry.Track.PushRtp(packet);
        }
    }

    private bool IsSetUp(RtspTrack track) => _incomingByChannel.Values.Any(e => ReferenceEquals(e.Track, track));

    private void OnPublishedFrame(MediaFrame frame)
    {
        if (_state == RtspSessionState.Recording)
        {
            _target?.OnFrame(frame);
        }
    }

    private void EndPublishing()
    {
        if (_target is { } target)
        {
            _target = null;
            _revoked.Dispose();
            target.Dispose();
        }

        _incoming.Clear();
        _incomingByChannel.Clear();
    }
}
