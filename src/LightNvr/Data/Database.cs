using System.Data.Common;
using LightNvr.Config;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LightNvr.Data;

/// <summary>
/// Connection factory for the one database, SQLite (the default) or PostgreSQL (<c>[database] type</c>). SQLite
/// connections all get the same pragmas: WAL journal (set once, persistent), a busy timeout so a second writer waits
/// instead of failing, foreign keys on, synchronous=NORMAL (safe with WAL: a power cut may lose the last transactions,
/// never corrupts the file). PostgreSQL connections come from one pooled <see cref="NpgsqlDataSource"/>.
/// Stores see only <see cref="DbConnection"/> and write SQL both engines accept, with <see cref="Dialect"/> where
/// they must differ.
/// </summary>
public sealed class Database : IAsyncDisposable, IDisposable
{
    /// <summary>How long a writer waits for the lock. SQLite's busy handler; 5 s covers a slow SD card's fsync.</summary>
    public const int MaxBusyWaitMilliseconds = 5000;

    private readonly string _connectionString;
    private readonly DbDataSource? _postgres; // NpgsqlDataSource: typed by its base so a SQLite box never loads Npgsql

    /// <summary>A SQLite database in the file at <paramref name="path"/>.</summary>
    public Database(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Dialect = SqlDialect.Sqlite;
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

    private Database(DbDataSource dataSource, string description)
    {
        _postgres = dataSource;
        _connectionString = "";
        Path = description;
        Dialect = SqlDialect.Postgresql;
    }

    /// <summary>
    /// A PostgreSQL database (Npgsql connection string). <paramref name="poolSize"/> &gt; 0 caps this node's
    /// connections (Maximum Pool Size); 0 keeps the connection string's own value.
    /// </summary>
    public static Database Postgresql(string connectionString, int poolSize = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"[database] connection_string is not a valid Npgsql connection string: {e.Message}");
        }
        if (poolSize > 0)
        {
            builder.MaxPoolSize = poolSize;
            builder.MinPoolSize = Math.Min(builder.MinPoolSize, poolSize);
        }
        var description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        return new Database(new NpgsqlDataSourceBuilder(builder.ConnectionString).Build(), description);
    }

    /// <summary>The database <c>[database]</c> names.</summary>
    public static Database FromOptions(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type == "postgresql" ? Postgresql(options.ConnectionString, options.PoolSize) : new Database(options.Path);
    }

    /// <summary>Absolute path of the SQLite file, or <c>postgresql://host:port/database</c> (no credentials) for PostgreSQL.</summary>
    public string Path { get; }

    public SqlDialect Dialect { get; }

    public DatabaseEngine Engine => Dialect.Engine;

    /// <summary>Opens a pooled connection (SQLite: with the pragmas applied).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        return await OpenSqliteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A SQLite connection, for what only SQLite has (the online backup API, ATTACH for the upstream import);
    /// <see cref="NotSupportedException"/> on PostgreSQL.
    /// </summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            throw new NotSupportedException(
                $"This needs a SQLite database; {Path} is PostgreSQL (back it up with pg_dump; move data with 'lightnvr db migrate').");
        }
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

    /// <summary>
    /// Applies every pending migration. SQLite: creates the folder and switches the file to WAL first. PostgreSQL:
    /// under an advisory lock, so nodes starting together migrate one after the other.
    /// </summary>
    public async Task<Migrations.MigrationResult> MigrateAsync(TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await MigratePostgresAsync(_postgres, time, cancellationToken).ConfigureAwait(false);
        }

        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenSqliteAsync(cancellationToken).ConfigureAwait(false);
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await new Migrations.MigrationRunner(Migrations.MigrationCatalog.All, time)
            .RunAsync(connection, Path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Apart from <see cref="MigrateAsync"/> so that compiling it does not load Npgsql on a SQLite box.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task<Migrations.MigrationResult> MigratePostgresAsync(DbDataSource postgres, TimeProvider time,
        CancellationToken cancellationToken)
    {
        await using var pg = (NpgsqlConnection)await postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await new Migrations.PostgresMigrationRunner(Migrations.PostgresMigrations.All, time)
            .RunAsync(pg, Path, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _postgres?.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }
}
