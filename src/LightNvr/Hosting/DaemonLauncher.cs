using System.Diagnostics;

namespace LightNvr.Hosting;

/// <summary>
/// <c>-d</c>: starts a copy of this process in a new session (<c>setsid</c>, stdio on /dev/null) marked by
/// <see cref="ChildVariable"/>, waits until the copy has written its PID into the PID file, and returns the exit code
/// for the parent (0 = the daemon is up).
/// </summary>
public static class DaemonLauncher
{
    public const string ChildVariable = "LIGHTNVR_DAEMON_CHILD";

    /// <summary>Start-up measures well under 2 s here; allow for a slow SD card and a cold disk cache.</summary>
    public static readonly TimeSpan MaxStartWait = TimeSpan.FromSeconds(30);

    public static bool IsChild => Environment.GetEnvironmentVariable(ChildVariable) == "1";

    public static int Start(string configFile, string pidFile, TimeProvider time)
    {
        var (exe, prefix) = SelfCommand();
        var setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid";
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$@\" </dev/null >/dev/null 2>&1");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(setsid);
        psi.ArgumentList.Add(exe);
        foreach (var arg in prefix)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(configFile);
        psi.Environment[ChildVariable] = "1";
        using var child = Process.Start(psi) ?? throw new InvalidOperationException("could not start the daemon process");
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < MaxStartWait)
        {
            if (PidFile.ReadPid(pidFile) == child.Id)
            {
                Console.Out.WriteLine($"lightnvr: running in the background as PID {child.Id} (PID file {pidFile})");
                return 0;
            }

            if (child.WaitForExit(100))
            {
                Console.Error.WriteLine($"lightnvr: the daemon exited during start-up with code {child.ExitCode}; see the log file");
                return child.ExitCode == 0 ? 1 : child.ExitCode;
            }
        }

        Console.Error.WriteLine($"lightnvr: the daemon (PID {child.Id}) did not write {pidFile} within {MaxStartWait.TotalSeconds} s");
        return 1;
    }

    /// <summary>The executable and leading arguments that start this program again (apphost, or dotnet + dll).</summary>
    public static (string Exe, string[] Prefix) SelfCommand()
    {
        var exe = Environment.ProcessPath ?? "dotnet";
        var entry = typeof(DaemonLauncher).Assembly.Location;
        return Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? (exe, [entry]) : (exe, []);
    }
}
