using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// Connection factory for the one SQLite file. Every connection gets the same pragmas: WAL journal (set once,
/// persistent), a busy timeout so a second writer waits instead of failing, foreign keys on, synchronous=NORMAL
/// (safe with WAL: a power cut may lose the last transactions, never corrupts the file).
/// </summary>
public sealed class Database
{
    /// <summary>How long a writer waits for the lock. SQLite's busy handler; 5 s covers a slow SD card's fsync.</summary>
    public const int MaxBusyWaitMilliseconds = 5000;

    private readonly string _connectionString;

    public Database(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = MaxBusyWaitMilliseconds / 1000,
        }.ToString();
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>Opens a pooled connection with the pragmas applied.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText =
                $"PRAGMA busy_timeout = {MaxBusyWaitMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the folder, switches the file to WAL and applies every pending migration.</summary>
    public async Task<Migrations.MigrationResult> MigrateAsync(TimeProvider time, CancellationToken cancellationToken = default)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await new Migrations.MigrationRunner(Migrations.MigrationCatalog.All, time)
            .RunAsync(connection, Path, cancellationToken).ConfigureAwait(false);
    }
}
