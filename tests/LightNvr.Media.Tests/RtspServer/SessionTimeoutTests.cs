using System.Net;
using LightNvr.Media.Rtsp;
using LightNvr.Media.Rtsp.Server;
using LightNvr.Media.Tests.Streaming;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>
/// A UDP session without requests or RTCP for the session timeout (60 s, RFC 2326 §12.37) is closed; keep-alives
/// (GET_PARAMETER) hold it open. Driven by a manual clock.
/// </summary>
public sealed class SessionTimeoutTests
{
    [Fact]
    public async Task Idle_udp_session_is_closed_and_keep_alive_holds_it()
    {
        var time = new TestClock();
        var handler = new TestHandler();
        handler.Camera.OnTracks(ServerFrames.Tracks);
        await using var server = new Media.Rtsp.Server.RtspServer(
            new RtspServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), TimeProvider = time }, handler);
        await server.StartAsync();
        using var c = await RawRtspClient.ConnectAsync(server.LocalEndpoint!);
        var url = $"rtsp://127.0.0.1:{server.LocalEndpoint!.Port}/cam";
        var setup = await c.RequestAsync($"SETUP {url}/trackID=1 RTSP/1.0\r\nCSeq: 1\r\nAuthorization: {TestHandler.UserAuth}\r\n" +
                                         "Transport: RTP/AVP;unicast;client_port=42000-42001\r\n\r\n");
        Assert.Equal(200, setup.StatusCode);
        Assert.True(RtspSessionHeader.TryParse(setup.Headers["Session"], out var session));
        Assert.Equal(60, session.TimeoutSeconds);

        for (var s = 0; s < 100; s++) // 100 s with a keep-alive every 30 s: still open
        {
            await AdvanceAsync(time, 1);
            if (s % 30 == 29)
            {
                var ping = await c.RequestAsync($"GET_PARAMETER {url} RTSP/1.0\r\nCSeq: {s}\r\nSession: {session.Id}\r\n\r\n");
                Assert.Equal(200, ping.StatusCode);
            }
        }

        Assert.Equal(0, server.Statistics.Timeouts);
        for (var s = 0; s < 65 && server.Statistics.Timeouts == 0; s++)
        {
            await AdvanceAsync(time, 1);
        }

        Assert.Equal(1, server.Statistics.Timeouts);
        await Assert.ThrowsAnyAsync<Exception>(() => c.RequestAsync($"OPTIONS * RTSP/1.0\r\nCSeq: 999\r\n\r\n"));
    }

    /// <summary>Moves the clock and lets the connection's housekeeping task run.</summary>
    private static async Task AdvanceAsync(TestClock time, int seconds)
    {
        time.Advance(TimeSpan.FromSeconds(seconds));
        await Task.Delay(5);
    }
}
