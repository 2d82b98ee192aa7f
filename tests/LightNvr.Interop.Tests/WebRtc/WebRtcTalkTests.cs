using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Rtsp;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live.WebRtc;
using LightNvr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// Two-way audio end to end: headless chromium with a fake microphone playing a generated 1 kHz sine
/// (tests/browser/talk.mjs) talks over WebRTC (sendrecv audio in the viewing peer connection) to a GStreamer ONVIF
/// camera with a PCMU backchannel; the server decrypts the SRTP, decodes Opus with Concentus where the browser sends
/// Opus (AAC camera) or passes PCMU through (G.711 camera), and sends it over the RTSP backchannel; the camera decodes
/// it into a WAV file whose frequency is checked by zero crossings.
/// </summary>
[Collection("opus-transcoder")] // its AAC case starts an Opus transcoder: not beside WebRtcAudioTests, which counts them
public sealed class WebRtcTalkTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("pcmu", "audio/PCMU")] // the browser sends PCMU: passed through
    [InlineData("aac", "audio/opus")]  // the section carries Opus: decoded (Concentus), µ-law encoded
    public async Task Chromium_talks_to_the_camera_and_the_tone_arrives(string cameraAudio, string micCodec)
    {
        using var folder = new TempFolder("talk");
        var heard = Path.Combine(folder.Path, "heard.wav");
        var tone = Path.Combine(folder.Path, "tone.wav");
        WriteSine(tone, 48000, 1000, seconds: 4);
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = cameraAudio, Backchannel = "pcmu", BackchannelWav = heard });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera) with { BackchannelEnabled = true });
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));

        var result = await RunTalkAsync(server, "cam", tone, seconds: 6);
        output.WriteLine(result.ToJsonString());
        Assert.Null((string?)result["error"]);
        Assert.Equal("sendrecv", (string?)result["audioDirection"]);
        var sent = result["sent"]!.AsArray();
        Assert.Equal(micCodec, (string?)sent[^1]![2], StringComparer.OrdinalIgnoreCase);
        Assert.True((long)sent[^1]![1]! > 100, "the browser sent microphone packets");

        await WaitForAsync(() => File.Exists(heard) && new FileInfo(heard).Length > 44 + (2 * 8000 * 2), TimeSpan.FromSeconds(20));
        var bytes = await File.ReadAllBytesAsync(heard);
        var samples = new short[(bytes.Length - 44) / 2];
        Buffer.BlockCopy(bytes, 44, samples, 0, samples.Length * 2);
        var (hz, rms) = RtspBackchannelTests.Analyse(samples, 8000);
        output.WriteLine($"camera heard {samples.Length} samples, {hz:0.0} Hz, rms {rms:0}");
        Assert.InRange(hz, 970, 1030);
        Assert.True(rms > 1000, $"rms {rms}: too quiet to be the tone");
    }

    [Fact]
    public async Task A_stream_without_backchannel_enabled_answers_the_microphone_sendonly()
    {
        using var folder = new TempFolder("talk-off");
        var tone = Path.Combine(folder.Path, "tone.wav");
        WriteSine(tone, 48000, 1000, seconds: 2);
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Backchannel = "pcmu" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var result = await RunTalkAsync(server, "cam", tone, seconds: 2);
        output.WriteLine(result.ToJsonString());
        Assert.Equal("sendonly", (string?)result["audioDirection"]);
    }

    private static async Task<JsonNode> RunTalkAsync(LiveHarness server, string stream, string wav, int seconds)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "browser");
        var (exit, stdout, stderr) = await MediaProbe.RunAsync("node", TimeSpan.FromSeconds(60), Path.Combine(dir, "talk.mjs"),
            server.BaseAddress.ToString().TrimEnd('/'), stream, LiveHarness.User, LiveHarness.Password, wav, seconds.ToString());
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
    }

    /// <summary>A 16-bit mono PCM WAV of a sine at amplitude 10000 (chromium loops it as the fake microphone).</summary>
    private static void WriteSine(string path, int rate, double frequency, int seconds)
    {
        var n = rate * seconds;
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + (n * 2)); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(n * 2);
        for (var i = 0; i < n; i++)
        {
            w.Write((short)(10000 * Math.Sin(2 * Math.PI * frequency * i / rate)));
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the camera heard nothing in time");
            await Task.Delay(200);
        }
    }
}
