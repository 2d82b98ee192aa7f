using System.Net;
using System.Net.Sockets;
using System.Text;
using LightNvr.Media.Rtsp;
using LightNvr.Media.Rtsp.Server;
using LightNvr.Media.Tests.Streaming;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>
/// Security probe, issue 11: the RTSP port could be exhausted without credentials (256 idle sockets, or half request
/// lines, locked out every player and publisher). Now unauthenticated connections are capped per address and evicted
/// oldest first at the global cap, and closed when a request is not completed in time or they idle unauthenticated.
/// Flood sockets come from several loopback addresses (127.0.1.x stand for other hosts).
/// </summary>
public sealed class ConnectionFloodTests
{
    [Fact]
    public async Task Players_and_publishers_get_through_a_flood_of_idle_and_slowloris_connections()
    {
        var handler = new TestHandler();
        await using var server = new Media.Rtsp.Server.RtspServer(
            new RtspServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, handler);
        await server.StartAsync();
        handler.Camera.OnTracks(ServerFrames.Tracks);
        PushGop(handler);
        using var early = await PlayAsync(server, IPAddress.Loopback); // an authenticated player from before the flood

        var flood = new List<TcpClient>();
        try
        {
            // 300 idle sockets from 127.0.0.1 (the per-address cap), then 20 other "hosts" × 15 idle sockets and a
            // slowloris half-line each: more than the global cap of 256.
            for (var i = 0; i < 300; i++)
            {
                flood.Add(await ConnectRawAsync(server, IPAddress.Loopback));
            }

            for (var host = 1; host <= 20; host++)
            {
                var address = IPAddress.Parse($"127.0.1.{host}");
                for (var i = 0; i < 15; i++)
                {
                    flood.Add(await ConnectRawAsync(server, address));
                }

                var slow = await ConnectRawAsync(server, address);
                await slow.GetStream().WriteAsync(Encoding.ASCII.GetBytes("OPTIONS rtsp://127.0.0.1/cam RTSP/1.0\r\nCSe"));
                flood.Add(slow);
            }

            await WaitAsync(() => server.Statistics.Evictions > 300 - Media.Rtsp.Server.RtspServer.DefaultMaxUnauthenticatedPerAddress);
            await WaitAsync(() => server.ConnectionCount <= Media.Rtsp.Server.RtspServer.MaxConnections); // evicted ones end

            // A new player from the flooding address itself, and one from another host, both with credentials.
            using var viewer = await PlayAsync(server, IPAddress.Loopback);
            using var other = await PlayAsync(server, IPAddress.Parse("127.0.0.2"));
            using var publisher = await PublishAsync(server, IPAddress.Parse("127.0.0.3"));
            PushGop(handler);
            await viewer.WaitForInterleavedAsync(3);
            await other.WaitForInterleavedAsync(3);
            var before = early.Interleaved.Count;
            await early.WaitForInterleavedAsync(before + 3); // never evicted: it had authenticated
            await WaitAsync(() =>
            {
                lock (handler.Published)
                {
                    return handler.Published.Count == 1;
                }
            });
            Assert.Equal(0, server.Statistics.Refused);
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Idle_slow_and_unauthenticated_connections_time_out()
    {
        var time = new TestClock();
        var handler = new TestHandler();
        handler.Camera.OnTracks(ServerFrames.Tracks);
        PushGop(handler);
        await using var server = new Media.Rtsp.Server.RtspServer(new RtspServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0), TimeProvider = time, DescribeTimeout = TimeSpan.Zero,
        }, handler);
        await server.StartAsync();
        var url = $"rtsp://127.0.0.1:{server.LocalEndpoint!.Port}/cam";
        using var idle = await ConnectRawAsync(server, IPAddress.Loopback);
        using var slow = await ConnectRawAsync(server, IPAddress.Loopback);
        using var asked = await RawRtspClient.ConnectAsync(server.LocalEndpoint!);
        using var authenticated = await RawRtspClient.ConnectAsync(server.LocalEndpoint!);
        Assert.Equal(200, (await asked.RequestAsync($"OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n")).StatusCode);
        Assert.Equal(200, (await authenticated.RequestAsync(
            $"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\nAuthorization: {TestHandler.UserAuth}\r\n\r\n")).StatusCode);

        var line = Encoding.ASCII.GetBytes("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n");
        for (var s = 0; s < 12; s++) // a byte a second (while the request timeout of 10 s runs): never a whole request
        {
            if (s < 9)
            {
                await slow.GetStream().WriteAsync(line.AsMemory(s, 1));
            }

            await AdvanceAsync(time, 1);
        }

        Assert.True(await IsClosedAsync(idle), "idle socket still open after the request timeout");
        Assert.True(await IsClosedAsync(slow), "slowloris socket still open after the request timeout");
        Assert.Equal(200, (await asked.RequestAsync($"OPTIONS {url} RTSP/1.0\r\nCSeq: 2\r\n\r\n")).StatusCode);
        Assert.Equal(2, server.Statistics.Timeouts);

        for (var s = 0; s < 32; s++)
        {
            await AdvanceAsync(time, 1);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => asked.RequestAsync($"OPTIONS {url} RTSP/1.0\r\nCSeq: 3\r\n\r\n"));
        Assert.Equal(200, (await authenticated.RequestAsync($"OPTIONS {url} RTSP/1.0\r\nCSeq: 2\r\n\r\n")).StatusCode);
        Assert.Equal(3, server.Statistics.Timeouts);
    }

    private static void PushGop(TestHandler handler)
    {
        foreach (var frame in ServerFrames.Gop(5))
        {
            handler.Camera.OnFrame(frame);
        }
    }

    private static async Task<TcpClient> ConnectRawAsync(Media.Rtsp.Server.RtspServer server, IPAddress local)
    {
        var client = new TcpClient(new IPEndPoint(local, 0));
        await client.ConnectAsync(server.LocalEndpoint!);
        return client;
    }

    /// <summary>True once the server has closed the socket (read returns 0 or fails), within 5 s.</summary>
    private static async Task<bool> IsClosedAsync(TcpClient client)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await client.GetStream().ReadAsync(new byte[1], cts.Token) == 0;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<RawRtspClient> PlayAsync(Media.Rtsp.Server.RtspServer server, IPAddress local)
    {
        var c = await RawRtspClient.ConnectAsync(server.LocalEndpoint!, local);
        var url = $"rtsp://127.0.0.1:{server.LocalEndpoint!.Port}/cam";
        var auth = "Authorization: " + TestHandler.UserAuth;
        Assert.Equal(200, (await c.RequestAsync($"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\n{auth}\r\n\r\n")).StatusCode);
        var setup = await c.RequestAsync($"SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n{auth}\r\n" +
                                         "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        Assert.True(RtspSessionHeader.TryParse(setup.Headers["Session"], out var session));
        Assert.Equal(200, (await c.RequestAsync($"PLAY {url} RTSP/1.0\r\nCSeq: 3\r\nSession: {session.Id}\r\n\r\n")).StatusCode);
        return c;
    }

    private static async Task<RawRtspClient> PublishAsync(Media.Rtsp.Server.RtspServer server, IPAddress local)
    {
        var c = await RawRtspClient.ConnectAsync(server.LocalEndpoint!, local);
        var url = $"rtsp://127.0.0.1:{server.LocalEndpoint!.Port}/push";
        var auth = "Authorization: " + TestHandler.PublisherAuth;
        var sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=control:streamid=0\r\n";
        var announce = await c.RequestAsync($"ANNOUNCE {url} RTSP/1.0\r\nCSeq: 1\r\n{auth}\r\nContent-Type: application/sdp\r\n" +
                                            $"Content-Length: {sdp.Length}\r\n\r\n{sdp}");
        Assert.Equal(200, announce.StatusCode);
        Assert.True(RtspSessionHeader.TryParse(announce.Headers["Session"], out var session));
        Assert.Equal(200, (await c.RequestAsync($"SETUP {url}/streamid=0 RTSP/1.0\r\nCSeq: 2\r\n{auth}\r\nSession: {session.Id}\r\n" +
                                                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n")).StatusCode);
        Assert.Equal(200, (await c.RequestAsync($"RECORD {url} RTSP/1.0\r\nCSeq: 3\r\n{auth}\r\nSession: {session.Id}\r\n\r\n")).StatusCode);
        var packet = new byte[12 + 160];
        Media.Rtp.RtpPacket.WriteHeader(packet, true, 0, 1, 0, 1234);
        var frame = new byte[4 + packet.Length];
        RtspInterleavedFrame.WriteTo(0, packet, frame);
        await c.SendRawAsync(frame);
        return c;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 15_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached");
            await Task.Delay(20);
        }
    }

    private static async Task AdvanceAsync(TestClock time, int seconds)
    {
        time.Advance(TimeSpan.FromSeconds(seconds));
        await Task.Delay(5);
    }
}
