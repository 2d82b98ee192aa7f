namespace LightNvr.Logging;

/// <summary>Upstream's log levels (config 0 error .. 3 debug, names ERROR/WARN/INFO/DEBUG) mapped onto <see cref="LogLevel"/>.</summary>
public static class LogLevels
{
    public static LogLevel FromConfig(int level) => level switch
    {
        <= 0 => LogLevel.Error,
        1 => LogLevel.Warning,
        2 => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => "ERROR",
        LogLevel.Warning => "WARN",
        LogLevel.Information => "INFO",
        _ => "DEBUG",
    };

    /// <summary>The <c>level</c> query parameter (<c>error</c>, <c>warn</c>/<c>warning</c>, <c>info</c>, <c>debug</c>);
    /// anything else or nothing = debug (everything), as upstream.</summary>
    public static LogLevel Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "error" => LogLevel.Error,
        "warn" or "warning" => LogLevel.Warning,
        "info" => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
