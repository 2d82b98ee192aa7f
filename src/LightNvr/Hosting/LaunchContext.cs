using LightNvr.Config;
using LightNvr.Health;

namespace LightNvr.Hosting;

/// <summary>
/// What happens before the web host is built: the command line, the configuration and the daemon fork. Either a
/// loaded configuration to run with, or an exit code to return at once (help, version, usage, config error, daemon
/// parent).
/// </summary>
public sealed record LaunchContext(LightNvrConfig? Config, IReadOnlyList<string> Warnings, int? ExitCode)
{
    /// <summary>Any error in configuration: the message went to stderr.</summary>
    public const int ConfigErrorExitCode = 1;

    public static LaunchContext Resolve(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = CommandLine.Parse(args, out var error);
        if (cli is null)
        {
            stderr.Write($"lightnvr: {error}\n{CommandLine.Usage}");
            return Exit(CommandLine.UsageExitCode);
        }

        if (cli.ShowHelp)
        {
            stdout.Write(CommandLine.Usage);
            return Exit(0);
        }

        if (cli.ShowVersion)
        {
            stdout.Write($"lightnvr {ServerInfo.Version}\n");
            return Exit(0);
        }

        ConfigLoadResult loaded;
        try
        {
            loaded = ConfigLoader.Load(cli.ConfigFile, EnvironmentOverrides.FromProcess(), Environment.CurrentDirectory);
        }
        catch (ConfigException e)
        {
            stderr.Write($"lightnvr: configuration error: {e.Message}\n");
            return Exit(ConfigErrorExitCode);
        }

        if (cli.Daemon && !DaemonLauncher.IsChild)
        {
            var file = loaded.Config.SourceFile;
            if (file is null)
            {
                stderr.Write("lightnvr: -d needs a configuration file (-c FILE or ./lightnvr.ini)\n");
                return Exit(ConfigErrorExitCode);
            }

            return Exit(DaemonLauncher.Start(file, loaded.Config.General.PidFile, TimeProvider.System));
        }

        return new LaunchContext(loaded.Config, loaded.Warnings, null);
    }

    private static LaunchContext Exit(int code) => new(null, [], code);
}
