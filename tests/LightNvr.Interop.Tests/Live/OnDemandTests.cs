using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Streaming;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>A <c>record: false</c> stream connects on its first viewer and disconnects after the last one leaves.</summary>
public sealed class OnDemandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Unrecorded_stream_connects_for_the_first_viewer_and_disconnects_after_the_linger()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("lazy", camera, record: false));
        await Task.Delay(1500);
        Assert.Equal(0, MediaProbe.ConnectionsTo(camera.Port));

        using (var ws = await server.ConnectWsAsync("lazy"))
        {
            await MseClient.SendRequestAsync(ws, "avc1.640029");
            Assert.Equal("mse", (await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(15))).Type);
            Assert.Equal(1, MediaProbe.ConnectionsTo(camera.Port));
            using var second = await server.ConnectWsAsync("lazy");
            await MseClient.SendRequestAsync(second, "avc1.640029");
            Assert.Equal("mse", (await MseClient.ReceiveAsync(second, TimeSpan.FromSeconds(15))).Type);
            Assert.Equal(1, MediaProbe.ConnectionsTo(camera.Port));
            await second.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            await ws.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        var deadline = Environment.TickCount64 + (long)(SourceSupervisor.DefaultLinger + TimeSpan.FromSeconds(8)).TotalMilliseconds;
        while (MediaProbe.ConnectionsTo(camera.Port) > 0)
        {
            Assert.True(Environment.TickCount64 < deadline, "camera still connected after the linger");
            await Task.Delay(250);
        }

        output.WriteLine($"disconnected; status {server.Cameras.GetStatus("lazy")}");

        // A snapshot is a viewer too: it connects the camera again.
        using var client = server.Client();
        using var jpeg = await client.GetAsync("/go2rtc/api/frame.jpeg?src=lazy");
        Assert.Equal(200, (int)jpeg.StatusCode);
    }
}
