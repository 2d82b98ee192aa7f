using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LightNvr.Testing;

/// <summary>
/// The test run's one PostgreSQL server, a real peer (Debian's <c>postgresql</c> 15, test-peers.md): <c>initdb</c> in a
/// temp folder and <c>pg_ctl start</c> on 127.0.0.1 at a free port, started on first use and stopped (folder deleted)
/// when the test process exits. Run as the user <c>postgres</c> when the tests run as root (the server refuses
/// root). Each caller gets a fresh database copied from a template (<see cref="CreateDatabaseAsync"/>), so test
/// classes never see each other's rows. Durability is off (<c>fsync=off</c>): a test cluster is thrown away.
/// </summary>
public static class PostgresServer
{
    /// <summary>Enough for every test class's pool at once (each keeps a few connections open until disposed).</summary>
    private const int MaxConnections = 400;

    /// <summary>How long the server may take to start on a loaded two-core machine.</summary>
    private static readonly TimeSpan MaxStartWait = TimeSpan.FromSeconds(120);

    private static readonly Lazy<Task<string>> Started = new(StartAsync);
    private static readonly SemaphoreSlim CreateOne = new(1, 1);
    private static readonly Dictionary<string, bool> Templates = [];
    private static string? _folder;
    private static string? _binaries;

    /// <summary>The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? BinaryFolder => _binaries ??= FindBinaries();

    /// <summary>Why PostgreSQL tests cannot run here (null when they can).</summary>
    public static string? Missing => BinaryFolder is null
        ? "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql (scripts/install-deps.sh test)"
        : null;

    /// <summary>Connection string of the server's <c>postgres</c> database (superuser, trust auth on 127.0.0.1).</summary>
    public static Task<string> AdminConnectionStringAsync() => Started.Value;

    /// <summary>
    /// A new empty database; when <paramref name="template"/> is given, a copy of the database it prepares (run once
    /// per key: e.g. a migrated schema), which is far faster than preparing each copy.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string? templateKey = null, Func<string, Task>? template = null)
    {
        var admin = await AdminConnectionStringAsync().ConfigureAwait(false);
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await CreateOne.WaitAsync().ConfigureAwait(false);
        try
        {
            string? from = null;
            if (templateKey is not null && template is not null)
            {
                from = "tpl_" + new string(templateKey.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
                if (!Templates.ContainsKey(from))
                {
                    await ExecuteAsync(admin, $"CREATE DATABASE {from}").ConfigureAwait(false);
                    await template(With(admin, from)).ConfigureAwait(false);
                    NpgsqlConnection.ClearAllPools();
                    Templates[from] = true;
                }
            }
            // FILE_COPY: a copy without writing the whole database into the WAL (PostgreSQL 15's default, WAL_LOG,
            // grew the test cluster by gigabytes over a run).
            await ExecuteAsync(admin, from is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {from} STRATEGY FILE_COPY")
                .ConfigureAwait(false);
        }
        finally
        {
            CreateOne.Release();
        }
        return With(admin, name);
    }

    private static string With(string admin, string database) =>
        new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 5 }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<string> StartAsync()
    {
        if (Missing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        RemoveStaleClusters();
        var folder = Directory.CreateTempSubdirectory("lightnvr-pg-").FullName;
        _folder = folder;
        var data = Path.Combine(folder, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asRoot: false).ConfigureAwait(false);
        }
        await RunAsync(Path.Combine(BinaryFolder!, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
            asRoot).ConfigureAwait(false);

        var port = FreePort();
        var options = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} " +
                      $"-c max_connections={MaxConnections} -c fsync=off -c synchronous_commit=off -c full_page_writes=off " +
                      "-c shared_buffers=32MB -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB";
        await RunAsync(Path.Combine(BinaryFolder!, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", ((int)MaxStartWait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "start"],
            asRoot).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(data, asRoot);

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Timeout = 60, CommandTimeout = 120,
        }.ConnectionString;
    }

    /// <summary>
    /// Deletes clusters of earlier runs whose server is gone (a test process killed, or ended before its exit handler
    /// finished): a folder without <c>postmaster.pid</c>, or whose postmaster process no longer exists.
    /// </summary>
    private static void RemoveStaleClusters()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "lightnvr-pg-*"))
        {
            var pidFile = Path.Combine(folder, "data", "postmaster.pid");
            try
            {
                var alive = File.Exists(pidFile)
                    && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}");
                if (!alive)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another run's, still in use or not ours to delete: leave it
            }
        }
    }

    private static void Stop(string data, bool asRoot)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            using var stop = Process.Start(Start(Path.Combine(BinaryFolder!, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asRoot));
            stop?.WaitForExit(30_000);
        }
        finally
        {
            if (_folder is not null && Environment.GetEnvironmentVariable("LIGHTNVR_KEEP_MEDIA") != "1")
            {
                try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    internal static async Task RunAsync(string file, string[] args, bool asRoot)
    {
        using var process = Process.Start(Start(file, args, asRoot))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    internal static ProcessStartInfo Start(string file, string[] args, bool asRoot)
    {
        var info = new ProcessStartInfo(asRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                info.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        return info;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "bin")));
        }
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }
}
