using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>ffmpeg plays the HLS playlists and the progressive MP4 over HTTP with Basic auth; streams API and policies.</summary>
public sealed class HttpPlaybackTests(ITestOutputHelper output)
{
    private static string AuthHeader => $"Authorization: Basic {LiveHarness.BasicValue}\r\n";

    [Fact]
    public async Task Ffmpeg_decodes_hls_playlists_and_stream_mp4_with_auth()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var b = server.BaseAddress;

        foreach (var url in new[] { $"{b}hls/cam/index.m3u8", $"{b}go2rtc/api/stream.m3u8?src=cam", $"{b}go2rtc/api/stream.mp4?src=cam" })
        {
            var (exit, _, err) = await MediaProbe.RunAsync("ffmpeg", TimeSpan.FromSeconds(40), "-hide_banner", "-v", "error",
                "-stats", "-headers", AuthHeader, "-i", url, "-t", "3", "-f", "null", "-");
            var frames = LastFrameCount(err);
            output.WriteLine($"{url}: exit {exit}, {frames} frames");
            Assert.True(exit == 0, err);
            Assert.True(frames >= 30, $"{url}: {frames} frames in 3 s of 15 fps");
        }

        using var client = server.Client();
        var playlist = await client.GetStringAsync("/hls/cam/index.m3u8");
        output.WriteLine(playlist);
        Assert.Contains("#EXT-X-VERSION:7", playlist);
        Assert.Contains("#EXT-X-MAP:URI=\"init.mp4\"", playlist);
        Assert.Contains("#EXT-X-TARGETDURATION:2", playlist);
    }

    [Fact]
    public async Task Streams_json_lists_producer_and_consumers_of_an_adhoc_source_added_and_removed_by_admin()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var server = await LiveHarness.StartAsync();
        using var client = server.Client();
        var url = Uri.EscapeDataString(camera.Url);
        using (var put = await client.PutAsync($"/go2rtc/api/streams?src={url}&name=adhoc", null))
        {
            Assert.Equal(200, (int)put.StatusCode);
        }

        using (var ws = await server.ConnectWsAsync("adhoc"))
        {
            await MseClient.SendRequestAsync(ws, "avc1.640029");
            Assert.Equal("mse", (await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(15))).Type);
            for (var i = 0; i < 10; i++)
            {
                await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(5));
            }

            var json = JsonNode.Parse(await client.GetStringAsync("/go2rtc/api/streams"))!;
            output.WriteLine(json.ToJsonString());
            var producer = json["adhoc"]!["producers"]![0]!;
            Assert.Equal(camera.Url, (string?)producer["url"]);
            Assert.True((long)producer["bytes_recv"]! > 0);
            var consumer = json["adhoc"]!["consumers"]![0]!;
            Assert.Equal("mse/fmp4", (string?)consumer["format_name"]);
            Assert.StartsWith("127.0.0.1:", (string?)consumer["remote_addr"]);
            Assert.True((long)consumer["bytes_send"]! > 0);
            Assert.True((long)consumer["senders"]![0]!["packets"]! > 0);
        }

        using (var del = await client.DeleteAsync("/go2rtc/api/streams?src=adhoc"))
        {
            Assert.Equal(200, (int)del.StatusCode);
        }

        using var gone = await client.GetAsync("/go2rtc/api/streams?src=adhoc");
        Assert.Equal(404, (int)gone.StatusCode);
    }

    /// <summary>The last <c>frame=</c> figure of ffmpeg's -stats output.</summary>
    private static int LastFrameCount(string stderr)
    {
        var i = stderr.LastIndexOf("frame=", StringComparison.Ordinal);
        if (i < 0)
        {
            return 0;
        }

        var digits = new string(stderr[(i + 6)..].TrimStart().TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, out var n) ? n : 0;
    }
}
