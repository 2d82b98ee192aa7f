namespace LightNvr.Config;

/// <summary>
/// Upstream's command line: <c>-c FILE</c> (also <c>--config</c>), <c>-d</c> (daemon), <c>-v</c> (version),
/// <c>-h</c> (help). <see cref="Parse"/> returns null with an error for anything else; the caller prints the usage on
/// stderr and exits with <see cref="UsageExitCode"/>.
/// </summary>
public sealed record CommandLine(string? ConfigFile, bool Daemon, bool ShowVersion, bool ShowHelp)
{
    /// <summary>Exit code for a bad command line (the BSD sysexits-style convention most tools follow).</summary>
    public const int UsageExitCode = 2;

    public const string Usage =
        "Usage: lightnvr [-c FILE] [-d] [-v] [-h]\n" +
        "  -c, --config FILE  configuration file (default: ./lightnvr.ini, then /etc/lightnvr/lightnvr.ini)\n" +
        "  -d, --daemon       run in the background (writes [general] pid_file)\n" +
        "  -v, --version      print the version and exit\n" +
        "  -h, --help         print this help and exit\n" +
        "       lightnvr [-c FILE] import --from UPSTREAM.db [--map OLD=NEW]... [--dry-run]\n" +
        "                     bring over a database of upstream LightNVR (docs/data.md \"Import from upstream\")\n" +
        "       lightnvr db migrate --from sqlite:PATH --to postgresql:CONNECTION (or back)\n" +
        "                     move the data between engines (docs/scale.md)\n";

    public static CommandLine? Parse(IReadOnlyList<string> args, out string error)
    {
        string? config = null;
        bool daemon = false, version = false, help = false;
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-c" or "--config":
                    if (i + 1 >= args.Count || args[i + 1].Length == 0)
                    {
                        error = $"option {args[i]} needs a file name";
                        return null;
                    }

                    config = args[++i];
                    break;
                case "-d" or "--daemon":
                    daemon = true;
                    break;
                case "-v" or "--version":
                    version = true;
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                default:
                    error = args[i].StartsWith('-') ? $"unknown option {args[i]}" : $"unexpected argument {args[i]}";
                    return null;
            }
        }

        return new CommandLine(config, daemon, version, help);
    }
}
