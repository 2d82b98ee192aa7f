using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LightNvr.Events;

/// <summary>
/// Draws an object event's box and label onto its snapshot (issue 14 item 6): one short ffmpeg run,
/// <c>drawbox</c> at the normalised box and <c>drawtext</c> with "label 87%" above it, JPEG in, JPEG out. The box is the
/// event's best observation (docs/events.md). Any failure returns null and the caller keeps the plain snapshot.
/// </summary>
public static class SnapshotAnnotator
{
    /// <summary>An annotation that takes longer than this is abandoned (the plain snapshot is kept): 10 s.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(10);

    /// <summary>The filter for <paramref name="box"/> and <paramref name="label"/> (label cut to letters, digits, space, - and _).</summary>
    public static string Filter(NormalizedBox box, string label, double confidence)
    {
        var safe = new StringBuilder();
        foreach (var c in label)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_')
            {
                safe.Append(c);
            }
        }
        var text = $"{safe} {Math.Round(confidence * 100)}%";
        return string.Create(CultureInfo.InvariantCulture,
            $"drawbox=x=iw*{box.X:0.####}:y=ih*{box.Y:0.####}:w=iw*{box.Width:0.####}:h=ih*{box.Height:0.####}:color=red@0.9:t=3,"
            + $"drawtext=text='{text}':x=W*{box.X:0.####}+4:y=max(0\\,H*{box.Y:0.####}-th-6):expansion=none:fontsize=h/24:fontcolor=white:box=1:boxcolor=red@0.8");
    }

    public static async Task<byte[]?> DrawAsync(string ffmpeg, byte[] jpeg, NormalizedBox box, string label, double confidence,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mjpeg", "-i", "pipe:0",
                     "-vf", Filter(box, label, confidence), "-frames:v", "1", "-q:v", "3", "-f", "mjpeg", "pipe:1" })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi);
        if (process is null)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MaxTime);
        try
        {
            var output = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.BaseStream.WriteAsync(jpeg, timeout.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await reading.ConfigureAwait(false);
            await errors.ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return process.ExitCode == 0 && output.Length > 0 ? output.ToArray() : null;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            return null;
        }
    }
}
