using System.Net.Sockets;
using System.Net;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Logging;
using Microsoft.AspNetCore.Connections;
using System.Data.Common;

namespace LightNvr.Hosting;

/// <summary>
/// Runs the built app: logs the config warnings, takes the PID file, prints where to open the UI once Kestrel listens,
/// and returns the exit code (0 on a clean stop, <see cref="HostControl.RestartExitCode"/> after a restart request).
/// </summary>
public static class HostRunner
{
    public const int PidFileExitCode = 1;

    /// <summary>Start-up failed (cannot listen, cannot open the database): the reason is one line on stderr.</summary>
    public const int StartFailedExitCode = 1;

    public static async Task<int> RunLightNvrAsync(this WebApplication app, LaunchContext launch)
    {
        var config = app.Services.GetRequiredService<LightNvrConfig>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LightNvr.Host");
        var sink = app.Services.GetRequiredService<LogSink>();
        if (sink.FileError is not null)
        {
            logger.LogWarning("{Error}; logging to the console only", sink.FileError);
        }

        foreach (var warning in launch.Warnings)
        {
            logger.LogWarning("Config: {Warning}", warning);
        }

        PidFile pid;
        try
        {
            pid = PidFile.Acquire(config.General.PidFile, Environment.ProcessId);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("Cannot start: {Reason}", e.Message);
            await Console.Error.WriteLineAsync($"lightnvr: cannot start: {e.Message}");
            return PidFileExitCode;
        }

        var control = app.Services.GetRequiredService<HostControl>();
        using (pid)
        {
            var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.ApplicationStarted.Register(() => Announce(config, logger, sink));
            lifetime.ApplicationStarted.Register(() => _ = CompactAfterStartAsync(
                app.Services.GetRequiredService<TimeProvider>(), lifetime.ApplicationStopping));
            try
            {
                await app.RunAsync();
            }
            catch (Exception e) when (e is SocketException or AddressInUseException)
            {
                // Kestrel's bind: address in use, or an address this machine does not have (a SocketException, not an
                // IOException, which used to end the process with a stack trace and exit code 134).
                logger.LogError("Cannot listen on {Ip}:{Port}: {Reason}", config.Web.BindIp, config.Web.Port, e.Message);
                await Console.Error.WriteLineAsync($"lightnvr: cannot listen on {config.Web.BindIp}:{config.Web.Port}: {e.Message}");
                return StartFailedExitCode;
            }
            catch (Exception e) when (e is DbException or NotSupportedException)
            {
                var where = config.Database.Type == "postgresql" ? "the PostgreSQL database" : config.Database.Path;
                logger.LogError("Cannot open the database {Path}: {Reason}", where, e.Message);
                await Console.Error.WriteLineAsync($"lightnvr: cannot open the database {where}: {e.Message}");
                return StartFailedExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Cannot start: {Reason}", e.Message);
                await Console.Error.WriteLineAsync($"lightnvr: cannot start: {e.Message}");
                return StartFailedExitCode;
            }

            logger.LogInformation("Stopped cleanly");
        }

        return control.ExitCode;
    }

    /// <summary>
    /// Start-up (configuration, migrations, the first-admin hash, compiling every method it runs) leaves garbage that
    /// an idle server never allocates enough to collect. One compacting collection once start-up has settled gives
    /// that memory back to the system (docs/BENCHMARKS.md, idle memory).
    /// </summary>
    private static async Task CompactAfterStartAsync(TimeProvider time, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(CompactAfterStartDelay, time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Past the camera service's staggered starts and the first requests of a browser that was waiting.</summary>
    private static readonly TimeSpan CompactAfterStartDelay = TimeSpan.FromSeconds(5);

    /// <summary>The one line a newcomer needs: the URL and where to log in (on the console even below info level).</summary>
    private static void Announce(LightNvrConfig config, ILogger logger, LogSink sink)
    {
        var ip = IPAddress.Parse(config.Web.BindIp);
        var host = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
            : ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        var url = $"http://{host}:{config.Web.Port}";
        var where = config.Web.AuthEnabled ? $"log in at {url}/login as '{config.Web.Username}'" : "authentication is off";
        var any = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? $" (listening on all addresses, {config.Web.BindIp}:{config.Web.Port})" : "";
        var line = $"LightNVR {ServerInfo.Version} is up: open {url} and {where}{any}; config: {config.SourceFile ?? "built-in defaults"}";
        if (sink.IsEnabled(LogLevel.Information, "LightNvr.Host"))
        {
            logger.LogInformation("{Line}", line);
        }
        else
        {
            Console.Out.WriteLine(line);
        }
    }
}
