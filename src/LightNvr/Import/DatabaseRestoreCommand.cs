using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Import;

/// <summary>
/// <c>lightnvr [-c FILE] db restore BACKUP.db</c>: checks a backup (SQLite header, <c>PRAGMA integrity_check</c>, this
/// project's schema at a version this build knows) and stages it beside the configuration's database; the server
/// swaps it in at its next start, keeping the replaced files (<see cref="DatabaseRestore"/>, docs/operations.md
/// "Restore"). Safe while the server runs: nothing is replaced until it restarts. Exit 0 when staged, 1 when the file
/// is refused (the reason on stderr), <see cref="CommandLine.UsageExitCode"/> for a bad command line.
/// </summary>
public static class DatabaseRestoreCommand
{
    public const string Usage =
        "Usage: lightnvr [-c FILE] db restore BACKUP.db\n" +
        "  Checks the backup and stages it; the server replaces its database with it at the next start\n" +
        "  (systemctl restart lightnvr, or POST /api/system/restart). The replaced files are kept in\n" +
        "  backups/before-restore-YYYYMMDD-HHMMSS/ beside the database.\n";

    /// <summary>True for <c>db restore …</c> (after optional <c>-c FILE</c>).</summary>
    public static bool IsRestore(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var i = args.Count > 1 && args[0] is "-c" or "--config" ? 2 : 0;
        return args.Count > i + 1 && args[i] == DatabaseMigrateCommand.Verb && args[i + 1] == "restore";
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? configFile = args.Count > 1 && args[0] is "-c" or "--config" ? args[1] : null;
        var rest = args.Skip(configFile is null ? 0 : 2).ToList();
        if (rest.Count != 3)
        {
            await stderr.WriteAsync($"lightnvr: db restore needs exactly one backup file\n{Usage}").ConfigureAwait(false);
            return CommandLine.UsageExitCode;
        }

        var backup = rest[2];
        try
        {
            var config = ConfigLoader.Load(configFile, EnvironmentOverrides.FromProcess(), Environment.CurrentDirectory).Config;
            if (config.Database.Type == "postgresql")
            {
                throw new InvalidDataException("[database] type is postgresql: restore it with pg_restore");
            }

            if (!File.Exists(backup))
            {
                throw new InvalidDataException($"'{Path.GetFullPath(backup)}' does not exist");
            }

            await using var database = new Database(config.Database.Path);
            var restore = new DatabaseRestore(database, new ConfigSnapshots(config));
            DatabaseRestoreCheck check;
            await using (var file = File.OpenRead(backup))
            {
                check = await restore.StageAsync(file, ct).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(
                $"Staged {Path.GetFullPath(backup)} (schema {check.SchemaVersion}, integrity ok: {check.Streams} streams, " +
                $"{check.Users} users, {check.Recordings} recordings) as {restore.PendingPath}.\n" +
                $"It replaces {config.Database.Path} at the next start: systemctl restart lightnvr (or POST /api/system/restart).")
                .ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ConfigException)
        {
            await stderr.WriteLineAsync($"lightnvr: db restore refused: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
