using LightNvr.Interop.Tests.Support;
using LightNvr.Media;
using LightNvr.Media.Codecs.G711;
using LightNvr.Media.Rtsp;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Rtsp;

/// <summary>
/// Two-way audio, camera side: the project's RTSP client opens the ONVIF backchannel of a GStreamer camera
/// (RTSPOnvifServer, tests/cameras/rtsp_camera.py --backchannel) and sends a 1 kHz tone as G.711; the camera decodes
/// it (rtppcmudepay/mulawdec or the A-law pair) into a WAV file, whose frequency is checked by zero crossings.
/// A camera without a backchannel is refused with a clear error.
/// </summary>
public sealed class RtspBackchannelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("pcmu")]
    [InlineData("pcma")]
    public async Task A_tone_sent_on_the_backchannel_arrives_at_the_camera(string codec)
    {
        using var folder = new TempFolder("backchannel");
        var wav = Path.Combine(folder.Path, "heard.wav");
        using (var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Backchannel = codec, BackchannelWav = wav }))
        {
            await using var talk = await RtspBackchannel.OpenAsync(new Uri(camera.Url), null, CancellationToken.None);
            Assert.Equal(codec == "pcmu" ? MediaCodec.Pcmu : MediaCodec.Pcma, talk.Codec);
            const int rate = 8000;
            const double frequency = 1000;
            var pcm = new short[RtspBackchannel.SamplesPerPacket];
            var g711 = new byte[pcm.Length];
            var sent = 0;
            for (var packet = 0; packet < 150; packet++) // 3 s, paced at 20 ms per packet
            {
                for (var i = 0; i < pcm.Length; i++, sent++)
                {
                    pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * frequency * sent / rate));
                }

                G711Encoder.Encode(pcm, g711, aLaw: codec == "pcma");
                await talk.SendAsync(g711, CancellationToken.None);
                await Task.Delay(20);
            }

            Assert.Equal(150, talk.PacketsSent);
            await WaitForAsync(() => File.Exists(wav) && new FileInfo(wav).Length > 44 + (2 * rate * 2), TimeSpan.FromSeconds(20));
        }

        var bytes = await File.ReadAllBytesAsync(wav);
        var samples = new short[(bytes.Length - 44) / 2];
        Buffer.BlockCopy(bytes, 44, samples, 0, samples.Length * 2);
        var (hz, rms) = Analyse(samples, 8000);
        output.WriteLine($"{codec}: {samples.Length} samples heard, {hz:0.0} Hz, rms {rms:0}");
        Assert.True(samples.Length >= 2 * 8000, $"only {samples.Length} samples reached the camera");
        Assert.InRange(hz, 980, 1020);
        Assert.True(rms > 3000, $"rms {rms}: the tone is too quiet"); // 8000-amplitude sine: rms ≈ 5657
    }

    [Fact]
    public async Task A_camera_without_a_backchannel_is_refused_with_a_clear_error()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu" });
        var e = await Assert.ThrowsAsync<RtspException>(() => RtspBackchannel.OpenAsync(new Uri(camera.Url), null, CancellationToken.None));
        Assert.Contains("backchannel", e.Message);
    }

    /// <summary>Frequency from zero crossings over the non-silent middle, and the RMS level there.</summary>
    internal static (double Hz, double Rms) Analyse(short[] samples, int rate)
    {
        var start = Array.FindIndex(samples, s => Math.Abs((int)s) > 1000);
        var end = Array.FindLastIndex(samples, s => Math.Abs((int)s) > 1000);
        if (start < 0 || end - start < rate / 2)
        {
            return (0, 0);
        }

        var crossings = 0;
        double sum = 0;
        for (var i = start + 1; i <= end; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0))
            {
                crossings++;
            }

            sum += (double)samples[i] * samples[i];
        }

        var seconds = (end - start) / (double)rate;
        return (crossings / 2.0 / seconds, Math.Sqrt(sum / (end - start)));
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the camera wrote no audio in time");
            await Task.Delay(200);
        }
    }
}
