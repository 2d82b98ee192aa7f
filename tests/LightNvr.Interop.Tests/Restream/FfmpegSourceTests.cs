using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using LightNvr.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// Sources other than RTSP (issue 17 item 5), each turned into H.264 by an ffmpeg child publishing into the stream:
/// a go2rtc-style <c>ffmpeg:</c> file source and an HTTP MJPEG camera (ffmpeg's own HTTP server with its mpjpeg
/// muxer, a real MJPEG peer). The hub gets frames, the recorder writes a segment that decodes, a reader gets the stream
/// back over RTSP, and nobody but the source's own ffmpeg may publish into such a stream.
/// </summary>
public sealed class FfmpegSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ffsrc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_ffmpeg_file_source_is_recorded_and_served()
    {
        var file = Path.Combine(_folder, "clip.mp4");
        Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3", "-c:v", "libx264", "-g", "25",
            "-pix_fmt", "yuv420p", file);
        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "clip", Url = $"ffmpeg:{file}", Record = true, SegmentDuration = 60 });

        await h.WaitForFramesAsync("clip", 50, TimeSpan.FromSeconds(20)); // 2 s of video: the 3 s file loops in real time
        var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("clip", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
        Assert.True(exit == 0, $"reader exit {exit}: {errors}");
        Assert.True(await h.RecordingRowsAsync("clip") > 0, "no recording row for the ffmpeg source");

        // Only the stream's own ffmpeg publishes into it: an admin's publisher is refused.
        var (publishExit, publishErrors) = await MediaTool.FfmpegPublishAsync(h.Url("clip", RestreamHarness.Admin, RestreamHarness.AdminPassword), 1);
        Assert.NotEqual(0, publishExit);
        Assert.Contains("403", publishErrors);

        // The same as an ad-hoc go2rtc source (PUT /go2rtc/api/streams), encoded: started on demand by a reader.
        Assert.True(await h.Live.PutAsync("adhoc", $"ffmpeg:{file}#video=h264"));
        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("adhoc", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
        Assert.True(exit == 0, $"ad-hoc reader exit {exit}: {errors}");
    }

    [Fact]
    public async Task An_http_mjpeg_camera_is_encoded_to_h264()
    {
        var port = FreePort.Next();
        using var camera = Process.Start(new ProcessStartInfo("ffmpeg",
        [
            "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-c:v", "mjpeg", "-q:v", "5",
            "-f", "mpjpeg", "-listen", "1", $"http://127.0.0.1:{port}/video.mjpg",
        ]) { RedirectStandardError = true })!;
        try
        {
            await using var h = await RestreamHarness.StartAsync();
            await h.AddStreamAsync(new StreamConfig { Name = "mjpeg", Url = $"http://127.0.0.1:{port}/video.mjpg", Record = true, SegmentDuration = 60 });
            await h.WaitForFramesAsync("mjpeg", 20, TimeSpan.FromSeconds(20));
            var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("mjpeg", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
            Assert.True(exit == 0, $"reader exit {exit}: {errors}");
            Assert.True(h.Cameras.TryGet("mjpeg", out var stream));
            Assert.Equal(Media.MediaCodec.H264, Assert.Single(stream.Hub.Tracks).Codec); // video only: audio was not asked for
        }
        finally
        {
            camera.Kill(entireProcessTree: true);
            await camera.WaitForExitAsync();
        }
    }

    /// <summary>
    /// A snapshot camera (<c>ffmpeg:http://…#input=snapshot#rate=4</c>). The camera is a STAND-IN written for this test:
    /// an in-test Kestrel server answering <c>GET /snap.jpg</c> with Basic auth (RFC 7617) and three JPEGs made by
    /// ffmpeg in turn, as a camera's snapshot endpoint does (no camera emulator with one is packaged here). Judged by
    /// independent tools: ffprobe reads the recorded segment as H.264 and ffmpeg decodes it cleanly.
    /// </summary>
    [Fact]
    public async Task A_snapshot_camera_is_polled_encoded_and_recorded()
    {
        Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=1", "-frames:v", "3", "-q:v", "5",
            Path.Combine(_folder, "p%d.jpg"));
        var pictures = Enumerable.Range(1, 3).Select(i => File.ReadAllBytes(Path.Combine(_folder, $"p{i}.jpg"))).ToArray();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("cam:s3cret"));
        var (served, refused) = (0, 0);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/snap.jpg", (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization != expected)
            {
                Interlocked.Increment(ref refused);
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"camera\"";
                return Results.StatusCode(401);
            }

            return Results.Bytes(pictures[Interlocked.Increment(ref served) % 3], "image/jpeg");
        });
        app.MapGet("/login.html", () => Results.Text("<html>log in</html>", "text/html"));
        await app.StartAsync();

        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig
        {
            Name = "snap", Url = $"ffmpeg:http://cam:s3cret@127.0.0.1:{port}/snap.jpg#input=snapshot#rate=4", Record = true,
            SegmentDuration = 3,
        });
        await h.WaitForFramesAsync("snap", 12, TimeSpan.FromSeconds(30));
        Assert.True(h.Cameras.TryGet("snap", out var stream));
        Assert.Equal(Media.MediaCodec.H264, Assert.Single(stream.Hub.Tracks).Codec);

        var segment = await CompleteSegmentAsync(h, "snap", TimeSpan.FromSeconds(40));
        await h.StopAsync();
        var (codec, frames, _) = Assert.Single(Ffmpeg.Probe(segment));
        Assert.Equal("h264", codec);
        Assert.True(frames >= 6, $"{frames} frames in {segment}"); // 4 a second, segments of about 3 s
        Assert.Equal("", Ffmpeg.DecodeErrors(segment));
        Assert.True(served >= 12, $"{served} pictures served");
        await app.StopAsync();

        Assert.True(refused <= 1, $"{refused} requests without the camera's credentials (only the first may ask for the challenge)");
    }

    /// <summary>The same stand-in snapshot endpoint: a reply that is not a picture, or a 401, is the stream's error.</summary>
    [Fact]
    public async Task A_snapshot_camera_that_answers_no_picture_says_why()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/login.html", () => Results.Text("<html>log in</html>", "text/html"));
        app.MapGet("/snap.jpg", () => Results.StatusCode(401));
        await app.StartAsync();

        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "html", Url = $"ffmpeg:http://cam:s3cret@127.0.0.1:{port}/login.html#input=snapshot", Record = true });
        await h.AddStreamAsync(new StreamConfig { Name = "noauth", Url = $"ffmpeg:http://cam:s3cret@127.0.0.1:{port}/snap.jpg#input=snapshot", Record = true });
        foreach (var (name, message) in new[] { ("html", "not a JPEG picture (text/html"), ("noauth", "HTTP 401") })
        {
            var deadline = Environment.TickCount64 + 30_000;
            while (h.Cameras.GetStatus(name).ErrorMessage is not { } error || !error.Contains(message, StringComparison.Ordinal))
            {
                Assert.True(Environment.TickCount64 < deadline, $"{name}: {h.Cameras.GetStatus(name)}");
                await Task.Delay(200);
            }

            Assert.DoesNotContain("s3cret", h.Cameras.GetStatus(name).ErrorMessage!, StringComparison.Ordinal);
        }

        await h.StopAsync();
        await app.StopAsync();
    }

    /// <summary>
    /// An HTTPS snapshot camera (the same labelled Kestrel stand-in, over TLS with a certificate from a test CA the
    /// system does not trust) is checked like an rtsps camera: refused by default with the reason, polled once the CA
    /// is in <c>[go2rtc] rtsps_ca_file</c> (read at each connect).
    /// </summary>
    [Fact]
    public async Task An_https_snapshot_camera_is_checked_like_rtsps()
    {
        using var certs = TestCertificates.Create();
        Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=1", "-frames:v", "1", Path.Combine(_folder, "one.jpg"));
        var picture = File.ReadAllBytes(Path.Combine(_folder, "one.jpg"));
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, o => o.UseHttps(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certs.ServerCertFile, certs.ServerKeyFile))));
        await using var app = builder.Build();
        app.MapGet("/snap.jpg", () => Results.Bytes(picture, "image/jpeg"));
        await app.StartAsync();

        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "tls", Url = $"ffmpeg:https://127.0.0.1:{port}/snap.jpg#input=snapshot#rate=5", Record = true });
        var deadline = Environment.TickCount64 + 30_000;
        while (h.Cameras.GetStatus("tls").ErrorMessage is not { } error || !error.Contains("not trusted", StringComparison.Ordinal))
        {
            Assert.True(Environment.TickCount64 < deadline, $"tls: {h.Cameras.GetStatus("tls")}");
            await Task.Delay(200);
        }

        Assert.Contains("rtsps_ca_file", h.Cameras.GetStatus("tls").ErrorMessage, StringComparison.Ordinal);
        h.Update(c => c with { Go2rtc = c.Go2rtc with { RtspsCaFile = certs.CaFile } });
        await h.WaitForFramesAsync("tls", 10, TimeSpan.FromSeconds(60)); // after the supervisor's backoff
        await h.StopAsync();
        await app.StopAsync();
    }

    /// <summary>
    /// An <c>ffmpeg:https://</c> input (an MP4 clip served by an in-test Kestrel over TLS, a STAND-IN for a camera's
    /// HTTPS stream; ffmpeg's own gnutls client is the peer under test) is checked like rtsps: with the test CA unknown
    /// the source is refused with ffmpeg's reason and the advice, with an unrelated CA pinned too, and it publishes once
    /// the CA is in <c>[go2rtc] rtsps_ca_file</c>. An <c>ffmpeg:rtsps://</c> input is refused while checking is on
    /// (ffmpeg cannot check it), before any ffmpeg runs.
    /// </summary>
    [Fact]
    public async Task An_ffmpeg_https_input_is_checked_like_rtsps_and_an_ffmpeg_rtsps_input_is_refused()
    {
        using var certs = TestCertificates.Create();
        var clip = Path.Combine(_folder, "clip.mp4");
        Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=30", "-c:v", "libx264", "-g", "10",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", clip);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, o => o.UseHttps(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certs.ServerCertFile, certs.ServerKeyFile))));
        await using var app = builder.Build();
        app.MapGet("/clip.mp4", () => Results.File(clip, "video/mp4", enableRangeProcessing: true));
        await app.StartAsync();

        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "https", Url = $"ffmpeg:https://127.0.0.1:{port}/clip.mp4", Record = true });
        await h.AddStreamAsync(new StreamConfig { Name = "rtsps", Url = "ffmpeg:rtsps://127.0.0.1:1/live", Record = true });
        {
            await WaitForErrorAsync(h, "https", "rtsps_ca_file");
            Assert.Contains("verification", h.Cameras.GetStatus("https").ErrorMessage, StringComparison.Ordinal); // ffmpeg's words
            await WaitForErrorAsync(h, "rtsps", "ffmpeg cannot check the TLS certificate of a rtsps:// input");

            h.Update(c => c with { Go2rtc = c.Go2rtc with { RtspsCaFile = certs.OtherCaFile } }); // a CA that did not sign the camera's certificate
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(0, h.Cameras.TryGet("https", out var refused) ? refused.Hub.FramesIn : -1);

            h.Update(c => c with { Go2rtc = c.Go2rtc with { RtspsCaFile = certs.CaFile } });
            await h.WaitForFramesAsync("https", 10, TimeSpan.FromSeconds(60)); // after the supervisor's backoff
        }

        await h.StopAsync();
        await app.StopAsync();
    }

    private static async Task WaitForErrorAsync(RestreamHarness h, string stream, string text)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (h.Cameras.GetStatus(stream).ErrorMessage is not { } error || !error.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(Environment.TickCount64 < deadline, $"{stream}: {h.Cameras.GetStatus(stream)}");
            await Task.Delay(200);
        }
    }

    private static async Task<string> CompleteSegmentAsync(RestreamHarness h, string stream, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            await using (var connection = await h.Database.OpenAsync())
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT file_path FROM recordings WHERE stream_name = $s AND is_complete = 1 ORDER BY id LIMIT 1";
                command.Parameters.AddWithValue("$s", stream);
                if (await command.ExecuteScalarAsync() is string path)
                {
                    return path;
                }
            }

            Assert.True(Environment.TickCount64 < deadline, $"{stream}: no complete segment after {timeout}; {h.Cameras.GetStatus(stream)}");
            await Task.Delay(250);
        }
    }
}
