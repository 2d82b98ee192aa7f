using System.Reflection;
using System.Runtime.InteropServices;

namespace LightNvr.Health;

/// <summary>
/// <c>versions.items</c> of <c>GET /api/system/info</c>, in upstream's four categories: <c>Application</c> (this
/// server), <c>OS</c> (distribution and kernel), <c>Service</c> (what upstream runs as separate processes — go2rtc —
/// and this server runs inside itself) and <c>Library</c> (runtime and the native and managed libraries the server
/// uses). Computed once: none of it changes while the process runs.
/// </summary>
public static class VersionItems
{
    public const string Application = "Application";
    public const string Os = "OS";
    public const string Service = "Service";
    public const string Library = "Library";

    public sealed record Item(string Name, string Category, string Version, string? Details = null);

    private static readonly Lazy<IReadOnlyList<Item>> All = new(Build);

    public static IReadOnlyList<Item> Items => All.Value;

    private static List<Item> Build()
    {
        var items = new List<Item>
        {
            new("LightNVR", Application, ServerInfo.Version, ServerInfo.GitCommit.Length > 0 ? "commit " + ServerInfo.GitCommit : null),
            new(OsRelease("NAME") ?? "Linux", Os, OsRelease("VERSION_ID") ?? "", OsRelease("PRETTY_NAME")),
            new("Kernel", Os, Environment.OSVersion.Version.ToString(), RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture),
            new("Streaming core (go2rtc API)", Service, ServerInfo.Version, "built in: camera connections, live view, go2rtc's HTTP API"),
            new("RTSP restream server", Service, ServerInfo.Version, "built in"),
            new(".NET runtime", Library, Environment.Version.ToString(), RuntimeInformation.FrameworkDescription),
            new("ASP.NET Core", Library, AssemblyVersion(typeof(WebApplication).Assembly)),
            new("Microsoft.Data.Sqlite", Library, AssemblyVersion(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly)),
        };
        try
        {
            // With PostgreSQL no SQLite connection has opened yet, so the native library is not set up: set it up
            // as Microsoft.Data.Sqlite does on first use (idempotent).
            SQLitePCL.Batteries_V2.Init();
            items.Add(new Item("SQLite", Library, SQLitePCL.raw.sqlite3_libversion().utf8_to_string()));
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            // No native SQLite loaded yet and none loadable: the database would not open either; leave the item out.
        }
        return items;
    }

    /// <summary>The informational version without its "+commit" suffix.</summary>
    private static string AssemblyVersion(Assembly assembly)
    {
        var text = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "";
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? text : text[..plus];
    }

    /// <summary>A field of /etc/os-release (quotes removed), or null.</summary>
    private static string? OsRelease(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/os-release"))
            {
                if (line.StartsWith(key + "=", StringComparison.Ordinal))
                {
                    return line[(key.Length + 1)..].Trim('"', '\'');
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
