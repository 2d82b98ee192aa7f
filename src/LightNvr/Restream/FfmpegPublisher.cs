using System.Diagnostics;
using LightNvr.Media.Streaming;

namespace LightNvr.Restream;

/// <summary>
/// An ffmpeg child that publishes into our own RTSP server (the demo camera, <c>ffmpeg:</c>/MJPEG/rtsps sources):
/// started with its arguments, its stderr kept (redacted: the publish URL holds a credential) to explain an exit,
/// killed with its process tree when cancelled.
/// </summary>
public static class FfmpegPublisher
{
    /// <summary>Lines of ffmpeg's stderr kept to explain an exit (ffmpeg runs with -v error, so few).</summary>
    private const int MaxErrorLines = 5;

    /// <summary>
    /// Runs ffmpeg until it exits (returns its exit code and last error lines) or is cancelled (killed). With
    /// <paramref name="feed"/>, that writes ffmpeg's stdin (a snapshot camera's pictures) meanwhile: when it ends or
    /// fails first, ffmpeg is killed and its error is the reason returned (exit code -1).
    /// </summary>
    public static async Task<(int ExitCode, string Errors)> RunAsync(string ffmpeg, IReadOnlyList<string> arguments,
        CancellationToken ct, Func<Stream, CancellationToken, Task>? feed = null)
    {
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = feed is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ffmpeg");
        var errors = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (errors)
                {
                    errors.Enqueue(CredentialRedaction.Redact(line));
                    if (errors.Count > MaxErrorLines)
                    {
                        errors.Dequeue();
                    }
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var fed = feed is null ? null : Task.Run(() => feed(process.StandardInput.BaseStream, feeding.Token), CancellationToken.None);
        try
        {
            var exited = process.WaitForExitAsync(ct);
            if (fed is not null && await Task.WhenAny(exited, fed).ConfigureAwait(false) == fed)
            {
                await KillAsync(process).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                return (-1, fed.Exception?.InnerException?.Message ?? "the input ended");
            }

            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await feeding.CancelAsync().ConfigureAwait(false);
            if (fed is not null)
            {
                await fed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        lock (errors)
        {
            return (process.ExitCode, string.Join(" | ", errors));
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
