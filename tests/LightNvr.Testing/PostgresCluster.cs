using System.Globalization;
using Npgsql;

namespace LightNvr.Testing;

/// <summary>
/// A PostgreSQL server of one test's own (Debian's binaries, as <see cref="PostgresServer"/>), which the test may stop
/// and start again on the same port and data folder: a database outage with a real server (docs/scale.md). The shared
/// <see cref="PostgresServer"/> cannot be stopped, other tests use it. Durable settings are left at their defaults
/// except fsync (a test cluster is thrown away).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _data;
    private readonly string _options;
    private readonly bool _asRoot = Environment.UserName == "root";

    private PostgresCluster(string folder, int port)
    {
        _folder = folder;
        _data = Path.Combine(folder, "data");
        Port = port;
        _options = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off " +
                   "-c shared_buffers=16MB -c max_connections=50";
    }

    public int Port { get; }

    /// <summary>The <c>lightnvr</c> database (created at start).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "lightnvr", Timeout = 5, CommandTimeout = 30,
    }.ConnectionString;

    /// <summary>Whether the server is running (between <see cref="StartAsync"/>/<see cref="StartAgainAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool Running { get; private set; }

    public static async Task<PostgresCluster> StartAsync()
    {
        if (PostgresServer.Missing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        var folder = Directory.CreateTempSubdirectory("lightnvr-pgc-").FullName;
        var cluster = new PostgresCluster(folder, PostgresServer.FreePort());
        if (cluster._asRoot)
        {
            await PostgresServer.RunAsync("chown", ["postgres:postgres", folder], asRoot: false).ConfigureAwait(false);
        }
        await PostgresServer.RunAsync(Path.Combine(PostgresServer.BinaryFolder!, "initdb"),
            ["-D", cluster._data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], cluster._asRoot).ConfigureAwait(false);
        await cluster.StartAgainAsync().ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString)
        {
            Database = "postgres", Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("CREATE DATABASE lightnvr", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return cluster;
    }

    /// <summary>Starts the stopped server again (same port, same data).</summary>
    public async Task StartAgainAsync()
    {
        await PostgresServer.RunAsync(Path.Combine(PostgresServer.BinaryFolder!, "pg_ctl"),
            ["-D", _data, "-l", Path.Combine(_folder, "server.log"), "-o", _options, "-w", "-t", "120", "start"], _asRoot)
            .ConfigureAwait(false);
        Running = true;
    }

    /// <summary>
    /// Stops the server (<c>pg_ctl stop -m fast</c>: open connections are terminated, new ones refused), as an
    /// administrator's restart or a crashed database host looks to its clients.
    /// </summary>
    public async Task StopAsync()
    {
        await PostgresServer.RunAsync(Path.Combine(PostgresServer.BinaryFolder!, "pg_ctl"),
            ["-D", _data, "-m", "fast", "-w", "-t", "60", "stop"], _asRoot).ConfigureAwait(false);
        Running = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Running)
            {
                await PostgresServer.RunAsync(Path.Combine(PostgresServer.BinaryFolder!, "pg_ctl"),
                    ["-D", _data, "-m", "immediate", "-w", "stop"], _asRoot).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // already down
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"PostgreSQL on 127.0.0.1:{Port} ({_data})");
}
