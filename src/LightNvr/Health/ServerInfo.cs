using System.Reflection;

namespace LightNvr.Health;

/// <summary>Version and start time of this server process (created once at start-up).</summary>
public sealed class ServerInfo(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public static string Version { get; } = ReadVersion().Version;

    /// <summary>The commit the build came from (the SDK appends it to the informational version), or "unknown".</summary>
    public static string GitCommit { get; } = ReadVersion().Commit;

    public TimeSpan Uptime => time.GetElapsedTime(_started);

    private static (string Version, string Commit) ReadVersion()
    {
        var info = typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = info.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (info, "unknown") : (info[..plus], info[(plus + 1)..]);
    }
}
