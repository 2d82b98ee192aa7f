using System.Net;
using System.Net.Sockets;
using System.Text;
using LightNvr.Data;
using LightNvr.Media.Rtsp.Server;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// Security probe, issue 11: more idle sockets and slowloris half-lines than the RTSP server's connection cap, from
/// 127.0.0.1 and from other loopback addresses (other "hosts"), then real ffmpeg clients with credentials: a
/// publisher pushes a stream and a player reads it back, through the flood.
/// </summary>
public sealed class RestreamFloodTests
{
    [Fact]
    public async Task Ffmpeg_publishes_and_reads_through_a_connection_flood()
    {
        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "pub", Url = h.PublishUrl("pub") });
        var server = new IPEndPoint(IPAddress.Loopback, h.Port);
        var flood = new List<TcpClient>();
        try
        {
            for (var host = 0; host <= 16; host++)
            {
                var address = host == 0 ? IPAddress.Loopback : IPAddress.Parse($"127.0.2.{host}");
                for (var i = 0; i < (host == 0 ? RtspServer.MaxConnections + 20 : 16); i++)
                {
                    var client = new TcpClient(new IPEndPoint(address, 0));
                    await client.ConnectAsync(server);
                    if (i % 4 == 0)
                    {
                        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("DESCRIBE rtsp://127.0.0.1/pub RTSP/1.0\r\nCS"));
                    }

                    flood.Add(client);
                }
            }

            var publish = MediaTool.FfmpegPublishAsync(h.Url("pub", RestreamHarness.Admin, RestreamHarness.AdminPassword), 8);
            await h.WaitForFramesAsync("pub", 30, TimeSpan.FromSeconds(10));
            var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("pub", RestreamHarness.Viewer, RestreamHarness.ViewerPassword), "tcp", 2);
            Assert.True(exit == 0, $"reader exit {exit}: {errors}");
            var (publishExit, publishErrors) = await publish;
            Assert.True(publishExit == 0, $"publisher exit {publishExit}: {publishErrors}");
            Assert.True(h.Server.Statistics.Evictions > 0);
            Assert.Equal(0, h.Server.Statistics.Refused);
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }
    }
}
