using System.Diagnostics;
using LightNvr.Detection.Objects;
using LightNvr.Detection.Objects.Api;
using LightNvr.Testing;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// <see cref="JpegEncoder"/> checked by an independent decoder: ffmpeg (libavcodec's MJPEG decoder) must read the file
/// as a JPEG of the right size, and the decoded picture must be close to the frame (PSNR over all RGB samples).
/// </summary>
public sealed class JpegEncoderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Quality 85 on smooth content decodes well above 30 dB; a wrong table or DCT gives noise (&lt; 15 dB).</summary>
    private const double MinPsnr = 30;

    [Theory]
    [InlineData(320, 240)]
    [InlineData(101, 75)]   // not a multiple of 8: the edge blocks repeat the last row and column
    [InlineData(8, 8)]
    public async Task Ffmpeg_decodes_it_and_the_picture_is_kept(int width, int height)
    {
        var frame = ApiObjectDetectorTests.Frame(width, height);
        var jpeg = JpegEncoder.Encode(frame);

        var decoded = await DecodeAsync(jpeg, width, height);

        var psnr = Psnr(frame.Pixels.Span, decoded);
        output.WriteLine($"{width}x{height}: PSNR {psnr:F1} dB, {jpeg.Length} bytes");
        Assert.True(psnr >= MinPsnr, $"{width}x{height}: PSNR {psnr:F1} dB");
    }

    [Fact]
    public async Task A_photograph_survives_too()
    {
        const string photo = "/usr/lib/python3/dist-packages/skimage/data/chelsea.png"; // python3-skimage (install-deps test)
        Assert.True(File.Exists(photo), $"{photo} is missing: install python3-skimage");
        var (code, rgb, err) = await RunAsync("ffmpeg", [], "-v", "error", "-i", photo, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.True(code == 0, err);
        var frame = RgbFrame.Create(451, 300, rgb, DateTimeOffset.UnixEpoch);

        var jpeg = JpegEncoder.Encode(frame);
        var decoded = await DecodeAsync(jpeg, 451, 300);

        var psnr = Psnr(rgb, decoded);
        var sw = Stopwatch.StartNew();
        JpegEncoder.Encode(frame);
        output.WriteLine($"chelsea 451x300: PSNR {psnr:F1} dB, {jpeg.Length} bytes, encoded again in {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.True(psnr >= MinPsnr, $"chelsea: PSNR {psnr:F1} dB, {jpeg.Length} bytes");
        Assert.InRange(jpeg.Length, 5_000, 100_000); // 451×300 at q85 4:4:4: tens of KB, not raw size (406 KB)
    }

    private static async Task<byte[]> DecodeAsync(byte[] jpeg, int width, int height)
    {
        using var tmp = new TempFolder("jpeg");
        var path = Path.Combine(tmp.Path, "frame.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        var (probeCode, probe, probeErr) = await RunAsync("ffprobe", [], "-v", "error", "-show_entries", "stream=codec_name,width,height",
            "-of", "csv=p=0", path);
        Assert.True(probeCode == 0, probeErr);
        Assert.Equal($"mjpeg,{width},{height}", System.Text.Encoding.ASCII.GetString(probe).Trim());
        var (code, rgb, err) = await RunAsync("ffmpeg", [], "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.True(code == 0 && err.Length == 0, "ffmpeg: " + err);
        Assert.Equal(width * height * 3, rgb.Length);
        return rgb;
    }

    private static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }
        var mse = sum / a.Length;
        return mse == 0 ? 99 : 10 * Math.Log10(255 * 255 / mse);
    }

    internal static async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(string file, byte[] stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        await p.StandardInput.BaseStream.WriteAsync(stdin);
        p.StandardInput.Close();
        using var ms = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
        var err = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        await copy;
        return (p.ExitCode, ms.ToArray(), await err);
    }
}
