using System.Diagnostics;
using System.Globalization;

namespace LightNvr.Live;

/// <summary>
/// Decodes one picture of an fMP4 (init segment + fragments on stdin) into a JPEG with the Debian ffmpeg as a child
/// process (D2: ffmpeg only where pixels are needed). Picks the frame at a presentation index, optionally scaled.
/// </summary>
public static class FfmpegJpegDecoder
{
    /// <summary>Largest JPEG accepted from ffmpeg: a 4K picture at high quality is about 2–3 MB.</summary>
    public const int MaxJpegBytes = 16 * 1024 * 1024;

    /// <summary>Largest scale asked for: 4K UHD width; a bigger value is clamped (the box has 256 MB).</summary>
    public const int MaxDimension = 3840;

    public static string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The JPEG, or null when ffmpeg produced none (undecodable input, or <paramref name="frameIndex"/> missing).</summary>
    public static async Task<byte[]?> DecodeAsync(ReadOnlyMemory<byte> mp4, int frameIndex, int? width, int? height,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(FfmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp4", "-i", "pipe:0",
                     "-vf", Filter(frameIndex, width, height), "-frames:v", "1", "-fps_mode", "passthrough",
                     "-f", "image2", "-c:v", "mjpeg", "-q:v", "4", "pipe:1",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ffmpeg");
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = ReadAllAsync(process.StandardOutput.BaseStream, cancellationToken);
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(mp4, cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // ffmpeg stopped reading (it had its frame, or failed): its output says which.
            }

            var jpeg = await stdout.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            _ = await stderr.ConfigureAwait(false);
            return jpeg.Length > 0 ? jpeg : null;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Filter(int frameIndex, int? width, int? height)
    {
        var select = string.Create(CultureInfo.InvariantCulture, $"select=eq(n\\,{frameIndex})");
        if (width is null && height is null)
        {
            return select;
        }

        var w = width is { } x ? Math.Clamp(x, 2, MaxDimension) : -2;
        var h = height is { } y ? Math.Clamp(y, 2, MaxDimension) : -2;
        return string.Create(CultureInfo.InvariantCulture, $"{select},scale={w}:{h}");
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + n > MaxJpegBytes)
            {
                throw new InvalidDataException($"ffmpeg wrote more than {MaxJpegBytes} bytes");
            }

            memory.Write(buffer, 0, n);
        }

        return memory.ToArray();
    }
}
