namespace LightNvr.Hosting;

/// <summary>
/// Stop and restart requests from the API. Restart = a clean stop with exit code <see cref="RestartExitCode"/>, so a
/// supervisor restarts the server (systemd: <c>Restart=on-failure</c> or <c>RestartForceExitStatus=75</c>).
/// </summary>
public sealed class HostControl(IHostApplicationLifetime lifetime, ILogger<HostControl> logger)
{
    /// <summary>EX_TEMPFAIL from sysexits.h: "try again later", the usual code for "restart me".</summary>
    public const int RestartExitCode = 75;

    /// <summary>Delay so the HTTP answer leaves before Kestrel begins to stop.</summary>
    private static readonly TimeSpan ReplyGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>The process exit code after a clean stop: 0, or <see cref="RestartExitCode"/>.</summary>
    public int ExitCode { get; private set; }

    public void RequestShutdown() => Stop(0, "shutdown requested through the API");

    public void RequestRestart() => Stop(RestartExitCode, $"restart requested through the API (exit code {RestartExitCode})");

    private void Stop(int exitCode, string reason)
    {
        ExitCode = exitCode;
        logger.LogInformation("Stopping: {Reason}", reason);
        _ = Task.Delay(ReplyGrace).ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
    }
}
