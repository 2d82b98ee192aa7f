using System.Net;
using System.Text;
using LightNvr.Media.Rtsp;
using LightNvr.Media.Rtsp.Server;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>
/// Request sequences against a real <see cref="Media.Rtsp.Server.RtspServer"/> on loopback, with a test handler and a hub fed
/// by synthetic frames: every bad request gets its RFC 2326 status (400, 401, 403, 404, 415, 454, 455, 459, 461,
/// 501), garbage is counted, and the connection keeps working.
/// </summary>
public sealed class RtspServerStateTests : IAsyncLifetime
{
    private readonly TestHandler _handler = new();
    private Media.Rtsp.Server.RtspServer _server = null!;
    private int _cseq;

    public async Task InitializeAsync()
    {
        _server = new Media.Rtsp.Server.RtspServer(
            new RtspServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), DescribeTimeout = TimeSpan.FromSeconds(1) },
            _handler);
        await _server.StartAsync();
        _handler.Camera.OnTracks(ServerFrames.Tracks);
        foreach (var frame in ServerFrames.Gop(15))
        {
            _handler.Camera.OnFrame(frame);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Url(string path) => $"rtsp://127.0.0.1:{_server.LocalEndpoint!.Port}/{path}";

    private string Req(string method, string path, params string[] headers)
    {
        var sb = new StringBuilder($"{method} {(path == "*" ? "*" : Url(path))} RTSP/1.0\r\nCSeq: {++_cseq}\r\n");
        foreach (var h in headers)
        {
            sb.Append(h).Append("\r\n");
        }

        return sb.Append("\r\n").ToString();
    }

    private const string Auth = "Authorization: " + TestHandler.UserAuth;

    private Task<RawRtspClient> ConnectAsync() => RawRtspClient.ConnectAsync(_server.LocalEndpoint!);

    [Fact]
    public async Task Options_lists_methods_and_missing_CSeq_is_400()
    {
        using var c = await ConnectAsync();
        var options = await c.RequestAsync(Req("OPTIONS", "*"));
        Assert.Equal(200, options.StatusCode);
        Assert.Contains("ANNOUNCE", options.Headers["Public"]);
        Assert.Equal(400, (await c.RequestAsync("OPTIONS * RTSP/1.0\r\n\r\n")).StatusCode);
        Assert.Equal(501, (await c.RequestAsync(Req("FLY", "cam", Auth))).StatusCode);
    }

    [Fact]
    public async Task Describe_needs_credentials_and_answers_SDP()
    {
        using var c = await ConnectAsync();
        var denied = await c.RequestAsync(Req("DESCRIBE", "cam"));
        Assert.Equal(401, denied.StatusCode);
        Assert.StartsWith("Basic realm=", denied.Headers["WWW-Authenticate"]);
        Assert.Equal(401, (await c.RequestAsync(Req("DESCRIBE", "cam", "Authorization: Basic Zm9vOmJhcg=="))).StatusCode);
        Assert.Equal(404, (await c.RequestAsync(Req("DESCRIBE", "nope", Auth))).StatusCode);
        var ok = await c.RequestAsync(Req("DESCRIBE", "cam", Auth));
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(Url("cam") + "/", ok.Headers["Content-Base"]);
        var sdp = Encoding.UTF8.GetString(ok.Body.Span);
        Assert.Contains("m=video 0 RTP/AVP 96", sdp);
        Assert.Contains("a=control:trackID=1", sdp);
        Assert.Equal(2, _server.Statistics.AuthFailures);
    }

    [Fact]
    public async Task Setup_play_teardown_over_TCP_starts_at_the_cached_key_frame()
    {
        using var c = await ConnectAsync();
        Assert.Equal(454, (await c.RequestAsync(Req("PLAY", "cam", Auth))).StatusCode);
        var setup = await c.RequestAsync(Req("SETUP", "cam/trackID=0", Auth, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"));
        Assert.Equal(200, setup.StatusCode);
        Assert.Contains("interleaved=0-1", setup.Headers["Transport"]);
        Assert.True(RtspSessionHeader.TryParse(setup.Headers["Session"], out var session));
        var sessionHeader = "Session: " + session.Id;
        Assert.Equal(454, (await c.RequestAsync(Req("SETUP", "cam/trackID=1", Auth, "Session: other",
            "Transport: RTP/AVP/TCP;unicast;interleaved=2-3"))).StatusCode);
        Assert.Equal(455, (await c.RequestAsync(Req("SETUP", "cam/trackID=0", Auth, sessionHeader,
            "Transport: RTP/AVP/TCP;unicast;interleaved=2-3"))).StatusCode);
        Assert.Equal(404, (await c.RequestAsync(Req("SETUP", "cam/trackID=7", Auth, sessionHeader,
            "Transport: RTP/AVP/TCP;unicast;interleaved=2-3"))).StatusCode);
        var play = await c.RequestAsync(Req("PLAY", "cam", Auth, sessionHeader));
        Assert.Equal(200, play.StatusCode);
        Assert.Contains("seq=", play.Headers["RTP-Info"]);
        Assert.Contains(";rtptime=", play.Headers["RTP-Info"]); // from the cached keyframe about to be sent
        await c.WaitForInterleavedAsync(5);
        var first = c.Interleaved[0];
        Assert.Equal(0, first.Channel);
        Assert.True(Media.Rtp.RtpPacket.TryParse(first.Payload, out var rtp));
        Assert.Equal(96, rtp.PayloadType);
        var nal = rtp.Payload[0] & 0x1F; // SPS first (prepended), aggregated with the PPS (STAP-A) or alone
        Assert.True(nal is 7 or 24, $"first NAL type {nal}");
        Assert.Equal(200, (await c.RequestAsync(Req("TEARDOWN", "cam", Auth, sessionHeader))).StatusCode);
    }

    [Fact]
    public async Task Transport_and_aggregate_errors()
    {
        using var c = await ConnectAsync();
        Assert.Equal(461, (await c.RequestAsync(Req("SETUP", "cam/trackID=0", Auth, "Transport: RTP/AVP;multicast"))).StatusCode);
        Assert.Equal(461, (await c.RequestAsync(Req("SETUP", "cam/trackID=0", Auth, "Transport: RTP/AVP;unicast"))).StatusCode);
        Assert.Equal(461, (await c.RequestAsync(Req("SETUP", "cam/trackID=0", Auth, "Transport: bogus"))).StatusCode);
        var udp = await c.RequestAsync(Req("SETUP", "cam/trackID=0", Auth, "Transport: RTP/AVP;unicast;client_port=40000-40001"));
        Assert.Equal(200, udp.StatusCode);
        Assert.Contains("server_port=", udp.Headers["Transport"]);
        Assert.True(RtspSessionHeader.TryParse(udp.Headers["Session"], out var session));
        Assert.Equal(459, (await c.RequestAsync(Req("SETUP", "other/trackID=0", Auth, "Session: " + session.Id,
            "Transport: RTP/AVP;unicast;client_port=40002-40003"))).StatusCode);
        Assert.Equal(455, (await c.RequestAsync(Req("RECORD", "cam", Auth, "Session: " + session.Id))).StatusCode);
    }

    [Fact]
    public async Task Publishing_checks_rights_media_type_and_order()
    {
        using var c = await ConnectAsync();
        var sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=control:streamid=0\r\n";
        string Announce(string path, string auth, string type = "application/sdp") =>
            Req("ANNOUNCE", path, auth, $"Content-Type: {type}", $"Content-Length: {sdp.Length}").TrimEnd('\r', '\n') + "\r\n\r\n" + sdp;
        Assert.Equal(403, (await c.RequestAsync(Announce("push", Auth))).StatusCode);
        var pub = "Authorization: " + TestHandler.PublisherAuth;
        Assert.Equal(403, (await c.RequestAsync(Announce("cam", pub))).StatusCode);
        Assert.Equal(404, (await c.RequestAsync(Announce("nope", pub))).StatusCode);
        Assert.Equal(415, (await c.RequestAsync(Announce("push", pub, "text/plain"))).StatusCode);
        Assert.Equal(455, (await c.RequestAsync(Req("SETUP", "push/streamid=0", pub, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"))).StatusCode);
        var announce = await c.RequestAsync(Announce("push", pub));
        Assert.Equal(200, announce.StatusCode);
        Assert.True(RtspSessionHeader.TryParse(announce.Headers["Session"], out var session));
        var s = "Session: " + session.Id;
        Assert.Equal(461, (await c.RequestAsync(Req("SETUP", "push/streamid=0", pub, s, "Transport: RTP/AVP;unicast;client_port=5000-5001;mode=record"))).StatusCode);
        Assert.Equal(455, (await c.RequestAsync(Req("RECORD", "push", pub, s))).StatusCode);
        Assert.Equal(200, (await c.RequestAsync(Req("SETUP", "push/streamid=0", pub, s, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"))).StatusCode);
        Assert.Equal(200, (await c.RequestAsync(Req("RECORD", "push", pub, s))).StatusCode);
        Assert.Equal(MediaCodec.Pcmu, Assert.Single(_handler.PublishedTracks!).Codec);
        var packet = new byte[12 + 160];
        Media.Rtp.RtpPacket.WriteHeader(packet, true, 0, 1, 0, 1234);
        var frame = new byte[4 + packet.Length];
        RtspInterleavedFrame.WriteTo(0, packet, frame);
        await c.SendRawAsync(frame);
        Assert.Equal(200, (await c.RequestAsync(Req("GET_PARAMETER", "push", pub, s))).StatusCode);
        lock (_handler.Published)
        {
            Assert.Single(_handler.Published);
        }
    }

    [Fact]
    public async Task Garbage_is_counted_and_the_connection_keeps_working()
    {
        using var c = await ConnectAsync();
        await c.SendRawAsync([0x00, 0xFF, 0x13, (byte)'\r', (byte)'\n']);
        await c.SendRawAsync("this is no rtsp\r\nHeader without colon\r\n\r\n");
        await c.SendRawAsync(Req("OPTIONS", "*").Replace("CSeq", "Bad Header", StringComparison.Ordinal));
        var ok = await c.RequestAsync(Req("OPTIONS", "*"));
        Assert.Equal(200, ok.StatusCode);
        Assert.True(_server.Statistics.MalformedMessages >= 2);
    }

    [Fact]
    public async Task Mutated_requests_are_answered_or_skipped_never_thrown()
    {
        var random = new Random(4);
        using var c = await ConnectAsync();
        string[] seeds =
        [
            Req("DESCRIBE", "cam", Auth),
            Req("SETUP", "cam/trackID=0", Auth, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"),
            Req("SETUP", "cam/trackID=1", Auth, "Transport: RTP/AVP;unicast;client_port=41000-41001"),
            Req("ANNOUNCE", "push", "Authorization: " + TestHandler.PublisherAuth, "Content-Type: application/sdp"),
            Req("PLAY", "cam", Auth, "Session: 0123"),
        ];
        for (var i = 0; i < 150; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                // Not '$': the parser resynchronises at a '$' (interleaved frame, RFC 2326 §10.12) and would then
                // rightly wait for the frame's length in bytes, swallowing the probe.
                var value = (byte)random.Next(256);
                bytes[random.Next(bytes.Length)] = value == (byte)'$' ? (byte)'#' : value;
            }

            await c.SendRawAsync(bytes);
            await c.SendRawAsync("\r\n\r\n"); // ends a header block whose blank line was mutated away
            // A valid request after each mutant: its answer proves the connection survived.
            RtspResponse probe;
            try
            {
                probe = await c.RequestAsync($"OPTIONS * RTSP/1.0\r\nCSeq: {100000 + i}\r\n\r\n");
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no answer after mutant {i}: {Convert.ToHexString(bytes)} {Encoding.Latin1.GetString(bytes)}");
                throw;
            }

            while (probe.Headers["CSeq"] != (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                Assert.InRange(probe.StatusCode, 200, 599);
                probe = await c.NextResponseAsync();
            }
        }

        Assert.Equal(0, _server.Statistics.InternalErrors);
    }
}
