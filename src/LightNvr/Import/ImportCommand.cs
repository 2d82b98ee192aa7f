using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Import;

/// <summary>
/// <c>lightnvr [-c FILE] import --from UPSTREAM.db [--map OLD=NEW]... [--dry-run]</c>: imports into the database that
/// FILE's <c>[database] path</c> names (created and migrated if new). Exit 0 on success, 1 when the import failed (the
/// reason on stderr), <see cref="CommandLine.UsageExitCode"/> for a bad command line.
/// </summary>
public static class ImportCommand
{
    public const string Verb = "import";

    public const string Usage =
        "Usage: lightnvr [-c FILE] import --from UPSTREAM.db [--map OLD=NEW]... [--dry-run]\n" +
        "  --from FILE     upstream LightNVR's database (only read; a snapshot is taken first)\n" +
        "  --map OLD=NEW   recordings recorded under OLD are now under NEW (repeatable)\n" +
        "  --dry-run       report what would be imported, change nothing\n" +
        "  The target is [database] path of the configuration (-c FILE; upstream's lightnvr.ini works unchanged,\n" +
        "  but its [database] path must then name a new file, e.g. LIGHTNVR_DATABASE_PATH=/var/lib/lightnvr/nvr.db).\n";

    /// <summary>True when the command line asks for an import (the verb after the global options).</summary>
    public static bool IsImport(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-c" or "--config")
            {
                i++; // its value, which may be any name (even "import")
                continue;
            }
            return args[i] == Verb;
        }

        return false;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        var parsed = Parse(args, out var error);
        if (parsed is null)
        {
            await stderr.WriteAsync($"lightnvr: {error}\n{Usage}").ConfigureAwait(false);
            return CommandLine.UsageExitCode;
        }

        var (configFile, request) = parsed.Value;
        try
        {
            var config = ConfigLoader.Load(configFile, EnvironmentOverrides.FromProcess(), Environment.CurrentDirectory).Config;
            if (config.Database.Type == "postgresql")
            {
                throw new ImportException("[database] type is postgresql: import into a SQLite file first, then move it with " +
                    "'lightnvr db migrate --from sqlite:FILE --to postgresql:CONNECTION'");
            }
            var source = Path.GetFullPath(request.SourcePath);
            if (!File.Exists(source))
            {
                throw new ImportException($"'{source}' does not exist");
            }
            if (source == Path.GetFullPath(config.Database.Path))
            {
                throw new ImportException($"[database] path is the upstream file itself ({source}): point it at a new file");
            }

            await stdout.WriteLineAsync($"Importing {source} into {config.Database.Path}").ConfigureAwait(false);
            var report = await ImportAsync(config, request with { SourcePath = source }, stdout, ct).ConfigureAwait(false);
            await stdout.WriteAsync(report.Format()).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is ConfigException or ImportException or SqliteException or IOException
                                      or UnauthorizedAccessException or SchemaTooNewException)
        {
            await stderr.WriteLineAsync($"lightnvr: import failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The import itself, against the configuration's database (migrated first).</summary>
    public static async Task<ImportReport> ImportAsync(LightNvrConfig config, ImportRequest request, TextWriter progress,
        CancellationToken ct)
    {
        var time = TimeProvider.System;
        var database = new Database(config.Database.Path);
        await database.MigrateAsync(time, ct).ConfigureAwait(false);
        var recordings = new RecordingStore(database, time);
        var files = new RecordingFiles(recordings, new RetentionStore(database, time),
            new RecordingFileLocator(new StorageRoot(config.Storage)), NullLogger<RecordingFiles>.Instance);
        var importer = new UpstreamImporter(new UpstreamImportStore(database), files, recordings, new RecordingTagStore(database, time));
        return await importer.RunAsync(request, progress, ct).ConfigureAwait(false);
    }

    private static (string? ConfigFile, ImportRequest Request)? Parse(IReadOnlyList<string> args, out string error)
    {
        string? config = null, from = null;
        var maps = new List<PathMap>();
        var dryRun = false;
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == Verb && IsImport(args.Take(i + 1).ToList()))
            {
                continue;
            }
            if (arg is "--dry-run")
            {
                dryRun = true;
                continue;
            }
            if (arg is not ("-c" or "--config" or "--from" or "--map"))
            {
                error = arg.StartsWith('-') ? $"unknown import option {arg}" : $"unexpected argument {arg}";
                return null;
            }
            if (i + 1 >= args.Count || args[i + 1].Length == 0)
            {
                error = $"option {arg} needs a value";
                return null;
            }

            var value = args[++i];
            switch (arg)
            {
                case "--from":
                    from = value;
                    break;
                case "--map":
                    if (PathMap.Parse(value, out error) is not { } map)
                    {
                        return null;
                    }
                    maps.Add(map);
                    break;
                default:
                    config = value;
                    break;
            }
        }

        if (from is null)
        {
            error = "import needs --from UPSTREAM.db";
            return null;
        }

        return (config, new ImportRequest(from, maps, dryRun));
    }
}
