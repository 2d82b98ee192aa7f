using System.Net;
using System.Security.Cryptography;

namespace LightNvr.Media.Rtsp.Server;

internal sealed partial class RtspServerConnection
{
    /// <summary>SETUP, RFC 2326 §10.4: one track per request, TCP interleaved or UDP unicast; mode=record publishes.</summary>
    private async ValueTask<RtspResponse> SetupAsync(RtspRequest request)
    {
        var transportValue = request.Headers["Transport"];
        if (!RtspTransportHeader.TryParse(transportValue, out var transport))
        {
            return Reply(request, 461, "Unsupported Transport");
        }

        if (transportValue!.Contains("mode=record", StringComparison.OrdinalIgnoreCase) ||
            transportValue.Contains("mode=\"record\"", StringComparison.OrdinalIgnoreCase))
        {
            return SetupRecord(request, transport);
        }

        if (_state is RtspSessionState.Playing or RtspSessionState.Recording)
        {
            return Reply(request, 455, "Method Not Valid in This State"); // no SETUP while playing (RFC 2326 §10.4)
        }

        if (!RtspRequestPath.TryParse(request.Uri, out var path))
        {
            return Reply(request, 400, "Bad Request");
        }

        var streamName = path.TrackId is null ? path.StreamName : path.ParentName;
        if (_streamName is not null && _outgoing.Count > 0 && streamName != _streamName)
        {
            return Reply(request, 459, "Aggregate Operation Not Allowed"); // one stream per session
        }

        if (await CheckAccessAsync(request, streamName, RtspAccess.Read).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        if (_handler.FindStream(streamName) is not { } hub)
        {
            return Reply(request, 404, "Not Found");
        }

        if (!await EnsureSubscriptionAsync(hub, streamName).ConfigureAwait(false))
        {
            return Reply(request, 503, "Service Unavailable");
        }

        var tracks = SendableTracks(hub);
        var track = path.TrackId is { } id ? tracks.Find(t => t.Id == id) : tracks.Count == 1 ? tracks[0] : null;
        if (track is null)
        {
            return Reply(request, 404, "Not Found");
        }

        if (_outgoing.Exists(t => t.Id == track.Id))
        {
            return Reply(request, 455, "Method Not Valid in This State"); // the same track twice
        }

        if (!transport.Unicast || (!transport.IsTcp && transport.ClientPort is null))
        {
            return Reply(request, 461, "Unsupported Transport");
        }

        var packetizer = RtspServerSdp.CreatePacketizer(track, RandomUInt(), (ushort)RandomUInt(), RandomUInt())!;
        var control = $"{BaseUrl(streamName)}/trackID={track.Id}";
        RtspOutgoingTrack outgoing;
        RtspTransportHeader reply;
        if (transport.IsTcp)
        {
            var channels = transport.Interleaved ?? (_outgoing.Count * 2, (_outgoing.Count * 2) + 1);
            if (channels.Rtp is < 0 or > 254 || _outgoing.Exists(t => t.Channel == channels.Rtp))
            {
                return Reply(request, 461, "Unsupported Transport");
            }

            outgoing = new RtspOutgoingTrack(track, packetizer, control) { Channel = channels.Rtp };
            reply = new RtspTransportHeader { Protocol = "RTP/AVP/TCP", Interleaved = channels, Ssrc = packetizer.Ssrc };
        }
        else
        {
            if (_outgoing.Exists(t => t.IsUdp != true) && _outgoing.Count > 0)
            {
                return Reply(request, 461, "Unsupported Transport"); // no mixing TCP and UDP in one session
            }

            var remote = ((IPEndPoint)_socket.RemoteEndPoint!).Address;
            var pair = RtspUdpPortPair.Bind(LocalAddress);
            var (rtp, rtcp) = transport.ClientPort!.Value;
            outgoing = new RtspOutgoingTrack(track, packetizer, control)
            {
                Udp = pair, ClientRtp = new IPEndPoint(remote, rtp), ClientRtcp = new IPEndPoint(remote, rtcp),
            };
            _ = ReceiveRtcpAsync(pair, remote);
            reply = new RtspTransportHeader
            {
                Protocol = "RTP/AVP", ClientPort = (rtp, rtcp), ServerPort = (pair.RtpPort, pair.RtpPort + 1),
                Ssrc = packetizer.Ssrc,
            };
        }

        _outgoing.Add(outgoing);
        _sessionId ??= NewSessionId();
        _state = RtspSessionState.Ready;
        var response = Reply(request, 200, "OK");
        response.Headers.Add("Transport", reply.ToString());
        return response;
    }

    /// <summary>RTCP receiver reports from a UDP client keep its session alive (RFC 2326 §12.37 allows either).</summary>
    private async Task ReceiveRtcpAsync(RtspUdpPortPair pair, IPAddress client)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                var result = await pair.Rtcp.ReceiveFromAsync(buffer, from, _cts.Token).ConfigureAwait(false);
                if (((IPEndPoint)result.RemoteEndPoint).Address.Equals(client))
                {
                    Touch();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
    }

    private void StartPlaying()
    {
        if (_subscription is null && _streamName is not null && _handler.FindStream(_streamName) is { } hub)
        {
            _subscription = hub.Subscribe("rtsp", Remote); // after PAUSE
        }

        if (_subscription is null || _state == RtspSessionState.Playing)
        {
            return;
        }

        _state = RtspSessionState.Playing;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        _playCts = cts;
        var playback = new RtspPlayback(_subscription, _outgoing.ToList(), WriteAsync, _time, _options.SenderReportInterval,
            _initialFrames.ToArray());
        _initialFrames.Clear();
        _server.Statistics.CountPlay();
        _playTask = Task.Run(async () =>
        {
            try
            {
                await playback.RunAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException
                                          or System.Net.Sockets.SocketException)
            {
            }

            if (!cts.IsCancellationRequested)
            {
                Close(); // the stream ended or changed codecs: let the client reconnect
            }
        });
    }

    private async Task StopPlayingAsync()
    {
        if (_playCts is { } cts)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await _playTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cts.Dispose();
            _playCts = null;
        }

        if (_cts.IsCancellationRequested)
        {
            _subscription?.Dispose();
            _subscription = null;
            foreach (var track in _outgoing)
            {
                track.Dispose();
            }

            _outgoing.Clear();
        }
    }

    private static uint RandomUInt() => BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
}
