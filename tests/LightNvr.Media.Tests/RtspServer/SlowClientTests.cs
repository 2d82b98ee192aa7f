using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using LightNvr.Media.Rtsp;
using LightNvr.Media.Rtsp.Server;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>
/// A client that stops reading never slows the source or another client: the hub drops frames for it (counted), and
/// the server closes it once a write has stalled for <see cref="RtspServerOptions.MaxWriteStall"/>.
/// </summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task Stalled_client_is_dropped_and_cut_off_while_others_keep_receiving()
    {
        var handler = new TestHandler();
        await using var server = new Media.Rtsp.Server.RtspServer(new RtspServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0), MaxWriteStall = TimeSpan.FromSeconds(3),
        }, handler);
        await server.StartAsync();
        handler.Camera.OnTracks(ServerFrames.Tracks);
        foreach (var frame in ServerFrames.Gop(1))
        {
            handler.Camera.OnFrame(frame);
        }

        using var stalled = await PlayAsync(server);
        using var healthy = await PlayAsync(server);
        var reader = Task.Run(async () =>
        {
            try
            {
                await healthy.WaitForInterleavedAsync(int.MaxValue);
            }
            catch (IOException)
            {
            }
        });

        // 24 MB of 60 KB frames, keyframe every 10: more than socket buffers plus the subscription's 8 MiB bound.
        var push = Stopwatch.StartNew();
        for (var i = 0; i < 400; i++)
        {
            var data = new byte[4 + 60_000];
            BinaryPrimitives.WriteInt32BigEndian(data, 60_000);
            data[4] = (byte)(i % 10 == 0 ? 0x65 : 0x41);
            handler.Camera.OnFrame(new MediaFrame(ServerFrames.Video, (i + 1) * 6000L, 0, i % 10 == 0, data, i * 66));
        }

        var pushTime = push.Elapsed;
        var drops = handler.Camera.SubscriptionStats.Max(st => st.Drops); // the stalled one's, before it is cut off
        var deadline = Environment.TickCount64 + 15_000;
        while (server.Statistics.Timeouts == 0)
        {
            Assert.True(Environment.TickCount64 < deadline, "stalled client was not cut off");
            await Task.Delay(100);
        }

        Assert.True(drops > 0, "the stalled client's queue never overflowed");
        // The timeout is counted before the cut-off client's subscription is removed: wait for the removal.
        while (handler.Camera.SubscriptionStats.Count > 1 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Single(handler.Camera.SubscriptionStats); // the healthy client is still subscribed
        Assert.True(healthy.Interleaved.Count > 1000, $"healthy client got {healthy.Interleaved.Count} packets");
        Assert.True(pushTime < TimeSpan.FromSeconds(10), $"source blocked: {pushTime}");
        _ = reader;
    }

    private static async Task<RawRtspClient> PlayAsync(Media.Rtsp.Server.RtspServer server)
    {
        var c = await RawRtspClient.ConnectAsync(server.LocalEndpoint!);
        var url = $"rtsp://127.0.0.1:{server.LocalEndpoint!.Port}/cam";
        var setup = await c.RequestAsync($"SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nAuthorization: {TestHandler.UserAuth}\r\n" +
                                         "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        Assert.True(RtspSessionHeader.TryParse(setup.Headers["Session"], out var session));
        var play = await c.RequestAsync($"PLAY {url} RTSP/1.0\r\nCSeq: 2\r\nSession: {session.Id}\r\n\r\n");
        Assert.Equal(200, play.StatusCode);
        _ = Encoding.UTF8;
        return c;
    }
}
