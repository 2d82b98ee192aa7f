using System.Globalization;
using LightNvr.IO;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// Restoring a SQLite backup, in two steps so the running server never has its database swapped under it:
/// <see cref="StageAsync"/> writes an uploaded backup to <c>backups/restore-pending.db</c> beside the database (never the
/// web root), after checking it (<see cref="CheckAsync"/>: SQLite header, <c>PRAGMA integrity_check</c>, this project's
/// schema at a version this build knows); <see cref="ApplyPendingAsync"/> runs at the next start, before the database is
/// opened: it checks the file again, moves the current database and its <c>-wal</c>/<c>-shm</c> into
/// <c>backups/before-restore-YYYYMMDD-HHMMSS/</c> (nothing is deleted) and renames the backup into place. Used by
/// <c>POST /api/system/restore</c> and <c>lightnvr db restore FILE</c> (docs/operations.md "Restore").
/// </summary>
public sealed class DatabaseRestore(Database database, Config.ConfigSnapshots config)
{
    /// <summary>The staged backup's name in the backups folder.</summary>
    public const string PendingFileName = "restore-pending.db";

    /// <summary>The first 16 bytes of every SQLite 3 database file (sqlite.org/fileformat.html §1.3.1).</summary>
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>False on PostgreSQL (pg_restore's job, docs/scale.md).</summary>
    public bool IsSupported => database.Engine == DatabaseEngine.Sqlite;

    /// <summary>Where the staged file waits: the backups folder beside the database.</summary>
    public string PendingPath => PendingPathFor(database.Path);

    public static string PendingPathFor(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? ".", "backups", PendingFileName);

    /// <summary>
    /// Copies <paramref name="backup"/> to a temporary file in the backups folder, checks it and, when it passes,
    /// makes it the pending restore (replacing an earlier pending one). Throws <see cref="InvalidDataException"/> with a
    /// message for the user when the file is no usable backup (the temporary file is deleted), IOException when it
    /// cannot be written.
    /// </summary>
    public async Task<DatabaseRestoreCheck> StageAsync(Stream backup, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var pending = PendingPath;
        var folder = Path.GetDirectoryName(pending)!;
        var webRoot = Path.GetFullPath(config.Current.Web.Root.Length > 0 ? config.Current.Web.Root
            : Path.Combine(AppContext.BaseDirectory, "www"));
        if (DatabaseBackup.IsInside(folder, webRoot))
        {
            throw new IOException($"refusing to stage a restore inside the web root ({webRoot})");
        }

        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "restore-upload-" + Guid.NewGuid().ToString("N") + ".tmp");
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16,
                             FileOptions.Asynchronous))
            {
                await backup.CopyToAsync(file, ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            var check = await CheckAsync(temp, ct).ConfigureAwait(false);
            File.Move(temp, pending, overwrite: true);
            DirectorySync.Sync(folder);
            return check;
        }
        finally
        {
            File.Delete(temp);
            _one.Release();
        }
    }

    /// <summary>Removes a staged restore; false when none was pending.</summary>
    public bool CancelPending()
    {
        if (!File.Exists(PendingPath))
        {
            return false;
        }

        File.Delete(PendingPath);
        return true;
    }

    /// <summary>The pending restore's check, or null when none is staged.</summary>
    public async Task<DatabaseRestoreCheck?> PendingAsync(CancellationToken ct = default) =>
        File.Exists(PendingPath) ? await CheckAsync(PendingPath, ct).ConfigureAwait(false) : null;

    /// <summary>
    /// Whether <paramref name="path"/> is a backup this build can restore: a SQLite file that passes
    /// <c>PRAGMA integrity_check</c> and holds this project's schema (not upstream's: that is <c>lightnvr import</c>)
    /// at a version no newer than this build's. Throws <see cref="InvalidDataException"/> naming what is wrong.
    /// </summary>
    public static async Task<DatabaseRestoreCheck> CheckAsync(string path, CancellationToken ct = default)
    {
        var header = new byte[SqliteHeader.Length];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            if (await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false) < header.Length ||
                !header.AsSpan().SequenceEqual(SqliteHeader))
            {
                throw new InvalidDataException("not a SQLite database (the file does not start with \"SQLite format 3\")");
            }
        }

        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
            }.ToString());
            await connection.OpenAsync(ct).ConfigureAwait(false);
            string? integrity;
            try
            {
                integrity = Convert.ToString(await ScalarAsync(connection, "PRAGMA integrity_check;", ct).ConfigureAwait(false),
                    CultureInfo.InvariantCulture);
            }
            catch (SqliteException e)
            {
                integrity = e.Message; // "database disk image is malformed": the check could not even finish
            }

            if (integrity != "ok")
            {
                throw new InvalidDataException("the file fails PRAGMA integrity_check: " + integrity);
            }

            if (await Migrations.MigrationRunner.UpstreamVersionAsync(connection, ct).ConfigureAwait(false) is { } upstream)
            {
                throw new InvalidDataException(
                    $"this is upstream LightNVR's database (its schema {upstream:0000}): bring it over with 'lightnvr import --from FILE'");
            }

            if (Convert.ToInt64(await ScalarAsync(connection,
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'streams', 'users', 'recordings')",
                    ct).ConfigureAwait(false), CultureInfo.InvariantCulture) < 4)
            {
                throw new InvalidDataException("not a LightNVR database (no schema_migrations, streams, users and recordings tables)");
            }

            var version = await Migrations.MigrationRunner.CurrentVersionAsync(connection, ct).ConfigureAwait(false);
            var known = Migrations.MigrationCatalog.All.Max(m => m.Version);
            if (version > known)
            {
                throw new InvalidDataException(
                    $"the backup was made by a newer LightNVR (schema version {version}; this one knows up to {known}): upgrade first");
            }

            return new DatabaseRestoreCheck(version, known,
                await CountAsync(connection, "streams", ct).ConfigureAwait(false),
                await CountAsync(connection, "users", ct).ConfigureAwait(false),
                await CountAsync(connection, "recordings", ct).ConfigureAwait(false),
                new FileInfo(path).Length);
        }
        catch (SqliteException e)
        {
            throw new InvalidDataException("not a readable SQLite database: " + e.Message, e);
        }
    }

    /// <summary>
    /// At start-up, before anything opens the database: when a restore is staged beside <paramref name="databasePath"/>,
    /// checks it again, moves the current database files into <c>backups/before-restore-…/</c> and the backup into
    /// place. Null when nothing was staged. A staged file that fails its check is renamed
    /// <c>restore-rejected-….db</c> and the current database is kept (the outcome says why).
    /// </summary>
    public static async Task<DatabaseRestoreOutcome?> ApplyPendingAsync(string databasePath, TimeProvider time,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        var pending = PendingPathFor(databasePath);
        if (!File.Exists(pending))
        {
            return null;
        }

        var backups = Path.GetDirectoryName(pending)!;
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        DatabaseRestoreCheck check;
        try
        {
            check = await CheckAsync(pending, ct).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            var rejected = Path.Combine(backups, $"restore-rejected-{stamp}.db");
            File.Move(pending, rejected, overwrite: true);
            return new DatabaseRestoreOutcome(false, null, rejected, e.Message);
        }

        SqliteConnection.ClearAllPools(); // no pooled handle may keep the old file open
        var live = Path.GetFullPath(databasePath);
        var before = Path.Combine(backups, $"before-restore-{stamp}");
        Directory.CreateDirectory(before);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            if (File.Exists(live + suffix))
            {
                File.Move(live + suffix, Path.Combine(before, Path.GetFileName(live) + suffix));
            }
        }

        DirectorySync.Sync(before);
        File.Move(pending, live);
        DirectorySync.Sync(Path.GetDirectoryName(live)!);
        DirectorySync.Sync(backups);
        return new DatabaseRestoreOutcome(true, check, before, null);
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string table, CancellationToken ct) =>
        Convert.ToInt64(await ScalarAsync(connection, $"SELECT COUNT(*) FROM {table}", ct).ConfigureAwait(false),
            CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }
}
