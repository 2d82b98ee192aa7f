using LightNvr.Media;

namespace LightNvr.Restream;

/// <summary>
/// The source function of a stream whose url is an <see cref="FfmpegSourceUrl"/>: while the camera's supervisor runs
/// it (recording, a viewer, detection: on demand like any source), an ffmpeg publishes the source into the stream's
/// <see cref="PublishPoint"/> and the point feeds the hub. When ffmpeg exits the source ends with an error saying why,
/// so the supervisor reconnects with its usual backoff (and a new ffmpeg); cancelled, ffmpeg is killed.
/// </summary>
public static class FfmpegSource
{
    /// <param name="snapshots">For a snapshot camera, what fetches its pictures into ffmpeg's stdin.</param>
    public static async Task RunAsync(FfmpegSourceUrl source, string ffmpeg, string publishUrl, PublishPoint point,
        IMediaSink sink, CancellationToken ct, SnapshotPoller? snapshots = null, Media.Rtsp.CameraTlsOptions? tls = null)
    {
        tls ??= new Media.Rtsp.CameraTlsOptions();
        if (source.TlsRefusal(tls) is { } refused)
        {
            throw new InvalidOperationException(refused);
        }

        using var feed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var feeding = point.RunSourceAsync(sink, feed.Token);
        (int ExitCode, string Errors) exit;
        try
        {
            exit = await FfmpegPublisher.RunAsync(ffmpeg, source.Arguments(publishUrl, tls), ct, snapshots is null ? null : snapshots.RunAsync).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            exit = (-1, $"cannot start {ffmpeg}: {e.Message}");
        }
        finally
        {
            await feed.CancelAsync().ConfigureAwait(false);
            await feeding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ct.ThrowIfCancellationRequested();
        var advice = source.IsHttps && tls.VerifyCertificate && (exit.Errors.Contains("certificate", StringComparison.OrdinalIgnoreCase)
                || exit.Errors.Contains("does not match hostname", StringComparison.OrdinalIgnoreCase))
            ? " (the camera's TLS certificate is checked: add it or its CA to [go2rtc] rtsps_ca_file, which then replaces the " +
              "system's roots for ffmpeg, or set rtsps_verify_certificate = false)"
            : "";
        throw new IOException($"ffmpeg source ended (exit code {exit.ExitCode}){(exit.Errors.Length > 0 ? ": " + exit.Errors : "")}{advice}");
    }
}
