using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Recording;
using LightNvr.Interop.Tests.Rtsp;
using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Rtsp;

namespace LightNvr.Interop.Tests.Cameras;

/// <summary>
/// <c>rtsps://</c> cameras (issue 17 item 5): GStreamer's RTSP server speaking TLS (tests/cameras/rtsp_camera.py
/// --tls-cert), read by the built-in client, which checks the certificate as <c>[go2rtc] rtsps_verify_certificate</c>
/// and <c>rtsps_ca_file</c> say: a self-signed camera is refused by default with a message saying what to do, accepted
/// when its certificate is pinned in the CA file or when checking is off; a certificate for another host name is
/// refused even from a trusted CA. The pinned camera records a segment that ffprobe decodes.
/// </summary>
public sealed class RtspsCameraTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certs = TestCertificates.Create();

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task A_self_signed_camera_is_refused_by_default_and_accepted_when_pinned_or_unchecked()
    {
        var (cert, key) = _certs.SelfSigned("camera", "IP:127.0.0.1,DNS:localhost");
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", TlsCert = cert, TlsKey = key });
        Assert.StartsWith("rtsps://", camera.Url, StringComparison.Ordinal);

        var refused = await RunUntilFramesAsync(camera.Url, new Go2rtcOptions());
        Assert.NotNull(refused);
        Assert.Contains("TLS with 127.0.0.1", refused, StringComparison.Ordinal);
        Assert.Contains("not trusted (self-signed or an unknown CA)", refused, StringComparison.Ordinal);
        Assert.Contains("rtsps_ca_file", refused, StringComparison.Ordinal);

        // Pinning a different certificate does not help.
        var other = await RunUntilFramesAsync(camera.Url, new Go2rtcOptions { RtspsCaFile = _certs.OtherCaFile });
        Assert.NotNull(other);
        Assert.Contains("does not lead to a certificate in the CA file", other, StringComparison.Ordinal);

        Assert.Null(await RunUntilFramesAsync(camera.Url, new Go2rtcOptions { RtspsCaFile = cert }));
        Assert.Null(await RunUntilFramesAsync(camera.Url, new Go2rtcOptions { RtspsVerifyCertificate = false }));

        // Pinned, it records like any camera: a complete segment that decodes cleanly.
        var sources = new RtspCameraSourceFactory(TimeProvider.System, ConfigSection<Go2rtcOptions>.Fixed(new Go2rtcOptions { RtspsCaFile = cert }));
        await using var h = await RecordingHarness.StartAsync(sources,
            new StreamConfig { Name = "tls", Url = camera.Url, Record = true, SegmentDuration = 3 });
        var rows = await h.WaitForCompleteAsync("tls", 1, TimeSpan.FromSeconds(40));
        var segment = rows.First(r => r.IsComplete).FilePath;
        var (codec, frames, _) = Assert.Single(Ffmpeg.Probe(segment));
        Assert.Equal("h264", codec);
        Assert.True(frames >= 15, $"{frames} frames in {segment}");
        Assert.Equal("", Ffmpeg.DecodeErrors(segment));
    }

    [Fact]
    public async Task A_certificate_for_another_host_name_is_refused_even_from_a_trusted_ca()
    {
        var (cert, key) = _certs.SignedByCa("elsewhere", "DNS:camera.example");
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", TlsCert = cert, TlsKey = key });

        var refused = await RunUntilFramesAsync(camera.Url, new Go2rtcOptions { RtspsCaFile = _certs.CaFile });
        Assert.NotNull(refused);
        Assert.Contains("is not for this host name", refused, StringComparison.Ordinal);

        // The same CA with a certificate that names the host is accepted (the CA file is not the problem).
        var (good, goodKey) = _certs.SignedByCa("right", "IP:127.0.0.1");
        using var right = GstCamera.Start(new GstCameraOptions { Audio = "none", TlsCert = good, TlsKey = goodKey });
        Assert.Null(await RunUntilFramesAsync(right.Url, new Go2rtcOptions { RtspsCaFile = _certs.CaFile }));
    }

    /// <summary>Runs the production camera source until 10 frames arrive (null) or it fails (its message).</summary>
    private static async Task<string?> RunUntilFramesAsync(string url, Go2rtcOptions go2rtc)
    {
        var source = new RtspCameraSourceFactory(TimeProvider.System, ConfigSection<Go2rtcOptions>.Fixed(go2rtc))
            .Create(new StreamConfig { Name = "tls", Url = url });
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Limit);
        var run = source(sink, cts.Token);
        while (sink.Frames.Count < 10 && !run.IsCompleted)
        {
            Assert.False(cts.IsCancellationRequested, "no frames and no error within " + Limit);
            await Task.Delay(100);
        }

        if (run.IsCompleted)
        {
            var e = await Assert.ThrowsAsync<RtspException>(() => run);
            return e.Message;
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        return null;
    }
}
