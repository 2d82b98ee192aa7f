using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Media.Streaming;
using LightNvr.Restream;

namespace LightNvr.Demo;

/// <summary>
/// The demo camera (issue 4 item 8), switched by <c>[demo] camera</c>. On: makes sure the stream <c>demo</c> exists
/// (url = its own path on our RTSP server, so it is a publish target; recorded in 60 s segments) and keeps an ffmpeg
/// test source publishing into it, restarted with <see cref="ReconnectBackoff"/> when it dies, stopped through the
/// <see cref="ShutdownCoordinator"/>. Off: removes that stream row if it is ours (its recordings stay, like any
/// deleted stream's). A user's own camera that happens to be called <c>demo</c> is never touched.
/// </summary>
public sealed partial class DemoCameraService(
    StreamStore streams,
    StreamChangeBroadcaster changes,
    ConfigSection<DemoOptions> demo,
    ConfigSection<Go2rtcOptions> go2rtc,
    ConfigSection<WebOptions> web,
    DemoPublisherCredential credential,
    ShutdownCoordinator shutdown,
    TimeProvider time,
    ILogger<DemoCameraService> logger) : BackgroundService
{
    /// <summary>Segment length of the demo recordings: short, so a newcomer sees a finished recording within a minute.</summary>
    public const int SegmentSeconds = 60;

    /// <summary>The ffmpeg executable (Debian's package).</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    private bool _run;

    /// <summary>
    /// Creates or removes the demo row before returning, so a camera service started after this one (Program.cs
    /// registers the demo first) loads the final set of streams; then supervises ffmpeg in the background.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demo.Current.Camera || go2rtc.Current.RtspPort == 0)
        {
            await RemoveAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _run = await EnsureStreamAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_run)
        {
            return;
        }

        await Task.Yield();
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            using var registration = shutdown.Register("demo camera", ShutdownPriority.LiveStreaming,
                _ => stop.CancelAsync());
            await SuperviseAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SuperviseAsync(CancellationToken ct)
    {
        var backoff = new ReconnectBackoff();
        var url = $"rtsp://{DemoPublisherCredential.UserName}:{credential.Password}@127.0.0.1:{go2rtc.Current.RtspPort}/" +
                  DemoCameraNames.StreamName;
        while (!ct.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            LogStarting(DemoCameraProcess.Size, DemoCameraProcess.Fps);
            int exitCode;
            string errors;
            try
            {
                (exitCode, errors) = await DemoCameraProcess.RunAsync(Ffmpeg, url, ct).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                (exitCode, errors) = (-1, e.Message); // no ffmpeg installed
            }

            if (time.GetUtcNow() - started >= ReconnectBackoff.StableAfter)
            {
                backoff.Reset();
            }

            var delay = backoff.Next();
            LogExited(exitCode, errors, delay.TotalSeconds);
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the demo row when missing; false when a foreign stream holds the name.</summary>
    private async Task<bool> EnsureStreamAsync(CancellationToken ct)
    {
        var url = SelfUrl.For(go2rtc.Current, DemoCameraNames.StreamName);
        var existing = await streams.GetAsync(DemoCameraNames.StreamName, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!SelfUrl.IsPublishUrl(existing.Url, existing.Name, go2rtc.Current, web.Current))
            {
                LogNameTaken();
                return false;
            }

            return true;
        }

        var stream = new StreamConfig
        {
            Name = DemoCameraNames.StreamName, Url = url, Record = true, RecordAudio = true,
            SegmentDuration = SegmentSeconds, Codec = "h264", Fps = DemoCameraProcess.Fps,
        };
        if (await streams.InsertAsync(stream, ct).ConfigureAwait(false) is { } id)
        {
            LogCreated();
            await changes.AddedAsync(stream with { Id = id }, ct).ConfigureAwait(false);
        }

        return true;
    }

    private async Task RemoveAsync(CancellationToken ct)
    {
        var existing = await streams.GetAsync(DemoCameraNames.StreamName, ct).ConfigureAwait(false);
        if (existing is null || !SelfUrl.IsPublishUrl(existing.Url, existing.Name, go2rtc.Current, web.Current) ||
            !await streams.DeleteAsync(existing.Name, ct).ConfigureAwait(false))
        {
            return;
        }

        LogRemoved();
        await changes.RemovedAsync(existing, permanent: true, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo camera: starting ffmpeg test source ({Size} at {Fps} fps)")]
    private partial void LogStarting(string size, int fps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo camera: ffmpeg exited with {ExitCode} ({Errors}); restarting in {Delay:0.#} s")]
    private partial void LogExited(int exitCode, string errors, double delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo camera: stream 'demo' created")]
    private partial void LogCreated();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo camera: off; stream 'demo' removed (its recordings are kept)")]
    private partial void LogRemoved();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo camera: a stream named 'demo' that is not the demo camera exists; demo camera not started")]
    private partial void LogNameTaken();
}
