using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// Headless Debian chromium (/usr/bin/chromium, driven by playwright-core from tests/browser; no downloaded browser)
/// plays the MSE WebSocket stream (go2rtc protocol) and the HLS stream through hls.js. Needs <c>npm ci</c> in
/// tests/browser (the Makefile's test-deps). Each test is bounded well under 60 s.
/// </summary>
public sealed class BrowserPlaybackTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("mse")]
    [InlineData("hls")]
    public async Task Chromium_plays_the_live_stream(string mode)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 60 });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var result = await PlayAsync(server, "cam", mode, seconds: 6);
        output.WriteLine(result.ToJsonString());

        Assert.Null((string?)result["error"]);
        Assert.Equal(640, (int)result["width"]!);
        Assert.True((double)result["advancedSec"]! > 4, "currentTime should advance with real time");
        Assert.True((int)result["decodedFrames"]! >= 60, "frames decoded");
    }

    internal static async Task<JsonNode> PlayAsync(LiveHarness server, string stream, string mode, int seconds)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "playwright-core")),
            "tests/browser/node_modules missing: run `npm ci` in tests/browser (make test-deps)");
        var (exit, stdout, stderr) = await MediaProbe.RunAsync("node", TimeSpan.FromSeconds(50),
            Path.Combine(dir, "play.mjs"), server.BaseAddress.ToString().TrimEnd('/'), stream, mode, LiveHarness.User,
            LiveHarness.Password, seconds.ToString());
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
    }
}
