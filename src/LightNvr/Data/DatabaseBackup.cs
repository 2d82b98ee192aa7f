using System.Globalization;
using LightNvr.Config;
using LightNvr.IO;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// A consistent copy of the live database while cameras keep writing: SQLite's online backup API
/// (<see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>, sqlite3_backup_step over every page in one step,
/// so the copy is one snapshot; in WAL mode writers are not blocked meanwhile), written to <c>NAME.tmp</c>, switched
/// to a single-file journal (a copy needs no -wal/-shm beside it), checked with <c>PRAGMA integrity_check</c>, fsynced,
/// then renamed into place and its folder fsynced. A copy that fails the check is deleted, never published. One backup
/// at a time: a second caller waits. A destination inside the web root (<c>[web] root</c>, default <c>www</c> beside the
/// executable) is refused: upstream's backups there were downloadable by anyone (lightnvr-api.md §9).
/// </summary>
public sealed class DatabaseBackup(Database database, ConfigSnapshots config)
{
    /// <summary>File name prefix and extension of the kept backups (<c>lightnvr-20261205-081500.db</c>).</summary>
    public const string FilePrefix = "lightnvr-";

    public const string FileExtension = ".db";

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>False on PostgreSQL: its backups are pg_dump's job (docs/scale.md), this class copies SQLite files.</summary>
    public bool IsSupported => database.Engine == DatabaseEngine.Sqlite;

    /// <summary>Where periodic backups go: <c>backups</c> beside the database file (never the web root).</summary>
    public string Folder => Path.Combine(Path.GetDirectoryName(database.Path) ?? ".", "backups");

    /// <summary>The kept backup's name for a time (UTC, to the second; names sort by time).</summary>
    public static string FileNameFor(DateTimeOffset time) =>
        FilePrefix + time.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + FileExtension;

    /// <summary>
    /// Copies the live database to <paramref name="destination"/> (replaced if present) and checks the copy. Throws
    /// <see cref="InvalidDataException"/> when the copy fails its integrity check, IOException or SqliteException
    /// when it cannot be written.
    /// </summary>
    public async Task BackupToAsync(string destination, CancellationToken ct = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        var webRoot = Path.GetFullPath(config.Current.Web.Root.Length > 0 ? config.Current.Web.Root
            : Path.Combine(AppContext.BaseDirectory, "www"));
        if (IsInside(folder, webRoot))
        {
            throw new IOException($"refusing to write a database backup inside the web root ({webRoot})");
        }
        Directory.CreateDirectory(folder);
        var temp = destination + ".tmp";
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            File.Delete(temp);
            await using (var source = await database.OpenSqliteAsync(ct).ConfigureAwait(false))
            await using (var copy = OpenFile(temp))
            {
                await copy.OpenAsync(ct).ConfigureAwait(false);
                await Task.Run(() => source.BackupDatabase(copy), ct).ConfigureAwait(false);
                await ExecuteAsync(copy, "PRAGMA journal_mode = DELETE;", ct).ConfigureAwait(false);
                if (await IntegrityAsync(copy, ct).ConfigureAwait(false) is not "ok" and var problem)
                {
                    throw new InvalidDataException("the backup copy failed PRAGMA integrity_check: " + problem);
                }
            }
            await using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, destination, overwrite: true);
            DirectorySync.Sync(folder);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>True when <paramref name="folder"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string folder, string root)
    {
        var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return f == r || f.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>PRAGMA integrity_check</c> of a database file, opened read-only: "ok", or SQLite's first problem. Restore
    /// checks a backup with this before it replaces anything.
    /// </summary>
    public static async Task<string> CheckFileAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no such database file", path);
        }
        await using var connection = OpenFile(path, SqliteOpenMode.ReadOnly);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return await IntegrityAsync(connection, ct).ConfigureAwait(false);
    }

    /// <summary>A connection of its own to a file, unpooled (closing it closes the file, so it can be renamed or deleted).</summary>
    private static SqliteConnection OpenFile(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate) =>
        new(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());

    private static async Task<string> IntegrityAsync(SqliteConnection connection, CancellationToken ct)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        return Convert.ToString(await check.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "no answer";
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
