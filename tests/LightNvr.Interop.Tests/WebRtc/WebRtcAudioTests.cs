using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live.WebRtc;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// WebRTC audio in headless Debian chromium, judged by chromium's getStats (inbound-rtp audio: codec,
/// totalSamplesReceived and audioLevel growing): a G.711 camera's audio passes through (PCMU, PCMA); an AAC camera's
/// is transcoded to Opus by one ffmpeg child process per stream, which runs only while a WebRTC viewer listens
/// (counted as ffmpeg children of this process, /proc, before, during and after).
/// </summary>
// One collection with WebRtcTalkTests: both start AAC → Opus ffmpeg children, which this class counts process-wide.
[Collection("opus-transcoder")]
public sealed class WebRtcAudioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("aac", "audio/opus")]
    [InlineData("pcmu", "audio/PCMU")]
    [InlineData("pcma", "audio/PCMA")]
    public async Task Chromium_hears_the_camera_over_WebRTC(string cameraAudio, string expectedCodec)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = cameraAudio, Gop = 30 });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var transcoders = server.App.Services.GetRequiredService<OpusTranscoders>();
        Assert.Equal(0, transcoders.Count);
        Assert.Empty(OpusChildren());

        var during = new List<int>();
        var play = BrowserPlaybackTests.PlayAsync(server, "cam", "webrtc", seconds: 6);
        while (!play.IsCompleted)
        {
            during.Add(OpusChildren().Count);
            await Task.WhenAny(play, Task.Delay(250));
        }

        var result = await play;
        output.WriteLine(result.ToJsonString());
        Assert.Null((string?)result["error"]);
        var audio = result["audioStats"]?.AsArray() ?? throw new Xunit.Sdk.XunitException("no inbound audio in getStats");
        Assert.Equal(expectedCodec, (string?)audio[^1]![3], StringComparer.OrdinalIgnoreCase);
        var firstSamples = (long)audio[0]![1]!;
        var lastSamples = (long)audio[^1]![1]!;
        var seconds = ((long)audio[^1]![0]! - (long)audio[0]![0]!) / 1000.0;
        output.WriteLine($"samples {firstSamples} → {lastSamples} in {seconds:0.0} s; ffmpeg children seen: {string.Join(",", during.Distinct())}");
        // chromium counts samples at the codec's clock (48 kHz Opus, 8 kHz G.711): at least half of real time arrived.
        var rate = cameraAudio == "aac" ? 48000 : 8000;
        Assert.True(lastSamples - firstSamples >= seconds * rate / 2, $"totalSamplesReceived grew only from {firstSamples} to {lastSamples}");
        Assert.Contains(audio, s => (double)s![2]! > 0.01); // the camera's 440 Hz sine at volume 0.2, not silence

        if (cameraAudio == "aac")
        {
            Assert.Contains(1, during);
            Assert.DoesNotContain(during, n => n > 1);
        }
        else
        {
            Assert.DoesNotContain(during, n => n > 0); // G.711 passes through: no transcoder
        }

        // The page has closed: consent lapses or the DELETE/close ends the session; then the transcoder goes.
        await WaitForAsync(() => transcoders.Count == 0 && OpusChildren().Count == 0, TimeSpan.FromSeconds(90)); // the JSON path has no DELETE: consent (30 s) ends the session
    }

    /// <summary>ffmpeg processes whose parent is this test process and that encode Opus.</summary>
    internal static List<int> OpusChildren()
    {
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (fields[1] == self && cmdline.Contains("libopus", StringComparison.Ordinal) && fields[0] != "Z")
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(200);
        }
    }
}
