using System.Diagnostics;
using System.Net.WebSockets;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>go2rtc's MSE WebSocket protocol against real GStreamer cameras, judged by ffprobe.</summary>
public sealed class MseWebSocketTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Client_gets_codec_answer_then_init_then_fragments_that_ffprobe_decodes()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));

        using var ws = await server.ConnectWsAsync("cam");
        await MseClient.SendRequestAsync(ws, "avc1.640029,avc1.64002A,hvc1.1.6.L153.B0,mp4a.40.2,mp4a.40.5,flac,opus");
        var answer = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(10));
        Assert.Equal("mse", answer.Type);
        Assert.Matches("^video/mp4; codecs=\"avc1\\.[0-9A-F]{6},mp4a\\.40\\.2\"$", answer.Value);

        var init = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(5));
        Assert.Equal("ftyp", MseClient.FirstBox(init.Data!));
        using var file = new MemoryStream();
        file.Write(init.Data);
        var fragments = 0;
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(3))
        {
            var m = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(5));
            Assert.Equal("moof", MseClient.FirstBox(m.Data!));
            file.Write(m.Data);
            fragments++;
        }

        using var folder = new TempFolder("mse");
        var path = folder.File("mse.mp4");
        await File.WriteAllBytesAsync(path, file.ToArray());
        var (frames, width, height) = await MediaProbe.CountVideoFramesAsync(path);
        output.WriteLine($"{fragments} fragments, {frames} frames decoded, {width}x{height}");
        Assert.Equal((640, 360), (width, height));
        Assert.True(frames >= 40, $"only {frames} frames in 3 s of 15 fps (plus the cached GOP)");
        Assert.True(fragments >= 30, $"only {fragments} fragments: live fragments should be per frame");
    }

    [Fact]
    public async Task Client_without_audio_codecs_gets_video_only_and_h265_only_stream_gets_an_error_for_h264_client()
    {
        using var h264 = GstCamera.Start(new GstCameraOptions { Audio = "aac" });
        using var h265 = GstCamera.Start(new GstCameraOptions { Video = "h265", Audio = "pcmu" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("h264", h264, record: false),
            LiveHarness.Stream("h265", h265, record: false));

        using (var ws = await server.ConnectWsAsync("h264"))
        {
            await MseClient.SendRequestAsync(ws, "avc1.640029");
            var answer = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(15));
            Assert.Equal("mse", answer.Type);
            Assert.DoesNotContain("mp4a", answer.Value);
            Assert.Equal("ftyp", MseClient.FirstBox((await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(5))).Data!));
        }

        using (var ws = await server.ConnectWsAsync("h265"))
        {
            await MseClient.SendRequestAsync(ws, "avc1.640029,mp4a.40.2");
            var answer = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(15));
            output.WriteLine(answer.Value);
            Assert.Equal("error", answer.Type);
            Assert.Contains("H265", answer.Value);
        }

        using (var ws = await server.ConnectWsAsync("h265"))
        {
            // A client that plays H.265 gets it, without the G.711 audio no browser plays.
            await MseClient.SendRequestAsync(ws, "avc1.640029,hvc1.1.6.L153.B0,mp4a.40.2");
            var answer = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(15));
            Assert.Equal("mse", answer.Type);
            Assert.Matches("^video/mp4; codecs=\"hvc1\\.[^,]+\"$", answer.Value);
        }
    }

    [Fact]
    public async Task Unknown_stream_is_404_and_no_credentials_is_401()
    {
        await using var server = await LiveHarness.StartAsync();
        using var client = server.Client();
        using var missing = await client.GetAsync("/go2rtc/api/frame.jpeg?src=nope");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("\"error\"", await missing.Content.ReadAsStringAsync());
        using var anonymous = server.Client(withAuth: false);
        using var denied = await anonymous.GetAsync("/go2rtc/api/streams");
        Assert.Equal(401, (int)denied.StatusCode);
        var ex = await Assert.ThrowsAnyAsync<WebSocketException>(() => server.ConnectWsAsync("nope"));
        output.WriteLine(ex.Message);
    }
}
