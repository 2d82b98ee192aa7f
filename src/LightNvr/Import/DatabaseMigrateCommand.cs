using System.Data.Common;
using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Import;

/// <summary>
/// <c>lightnvr db migrate --from ENGINE:WHERE --to ENGINE:WHERE</c>: moves a box's data between engines, e.g. from its
/// SQLite file to a PostgreSQL database that several recorder nodes will share (docs/scale.md), or back. ENGINE:WHERE
/// is <c>sqlite:PATH</c> or <c>postgresql:CONNECTION-STRING</c> (Npgsql format). Both are migrated to this build's
/// schema first; the target must be empty. Exit 0 on success, 1 when the copy failed (the reason on stderr),
/// <see cref="CommandLine.UsageExitCode"/> for a bad command line. Stop the server first: rows written during the copy
/// would be missed.
/// </summary>
public static class DatabaseMigrateCommand
{
    public const string Verb = "db";

    public const string Usage =
        "Usage: lightnvr db migrate --from sqlite:PATH --to postgresql:CONNECTION\n" +
        "       lightnvr db migrate --from postgresql:CONNECTION --to sqlite:PATH\n" +
        "  Copies every table (ids kept) into an empty target, then checks each table's row count.\n" +
        "  CONNECTION is an Npgsql connection string, e.g. 'Host=db;Database=lightnvr;Username=nvr;Password=...'.\n" +
        "  Stop LightNVR first; afterwards set [database] type and connection_string (or path) to the target.\n" +
        "       lightnvr [-c FILE] db restore BACKUP.db   (stages a backup for the next start; docs/operations.md)\n";

    /// <summary>True when the command line is <c>db …</c> (after optional <c>-c FILE</c>, which this command ignores).</summary>
    public static bool IsDb(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-c" or "--config")
            {
                i++;
                continue;
            }
            return args[i] == Verb;
        }
        return false;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (Parse(args, out var error) is not { } request)
        {
            await stderr.WriteAsync($"lightnvr: {error}\n{Usage}").ConfigureAwait(false);
            return CommandLine.UsageExitCode;
        }

        Database? from = null, to = null;
        try
        {
            from = Open(request.From, mustExist: true);
            to = Open(request.To, mustExist: false);
            if (from.Path == to.Path)
            {
                throw new InvalidOperationException("--from and --to name the same database");
            }
            await stdout.WriteLineAsync($"Copying {from.Path} into {to.Path}").ConfigureAwait(false);
            var copied = await new DatabaseCopy(from, to, TimeProvider.System).RunAsync(stdout, ct).ConfigureAwait(false);
            await stdout.WriteLineAsync(
                $"Done: {copied.Values.Sum():N0} rows in {copied.Count} tables, every table's row count matches the source.").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or DbException or ConfigException or IOException
                                      or UnauthorizedAccessException or SchemaTooNewException or NotSupportedException
                                      or ArgumentException or TimeoutException)
        {
            await stderr.WriteLineAsync($"lightnvr: db migrate failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (from is not null)
            {
                await from.DisposeAsync().ConfigureAwait(false);
            }
            if (to is not null)
            {
                await to.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static Database Open(string spec, bool mustExist)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var (engine, where) = (spec[..colon], spec[(colon + 1)..]);
        if (engine == "postgresql")
        {
            return Database.Postgresql(where);
        }
        if (mustExist && !File.Exists(where))
        {
            throw new IOException($"'{Path.GetFullPath(where)}' does not exist");
        }
        return new Database(where);
    }

    private static (string From, string To)? Parse(IReadOnlyList<string> args, out string error)
    {
        string? from = null, to = null, sub = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-c" or "--config":
                    i++;
                    break;
                case Verb:
                    break;
                case "--from" or "--to" when i + 1 < args.Count:
                    var value = args[++i];
                    if (!(value.StartsWith("sqlite:", StringComparison.Ordinal) && value.Length > "sqlite:".Length)
                        && !(value.StartsWith("postgresql:", StringComparison.Ordinal) && value.Length > "postgresql:".Length))
                    {
                        error = $"{args[i - 1]} '{value}': expected sqlite:PATH or postgresql:CONNECTION";
                        return null;
                    }
                    if (args[i - 1] == "--from") { from = value; } else { to = value; }
                    break;
                case "migrate" when sub is null:
                    sub = "migrate";
                    break;
                default:
                    error = $"db: unexpected argument '{args[i]}'";
                    return null;
            }
        }
        if (sub is null || from is null || to is null)
        {
            error = sub is null ? "db: expected 'migrate'" : "db migrate needs --from and --to";
            return null;
        }
        error = "";
        return (from, to);
    }
}
