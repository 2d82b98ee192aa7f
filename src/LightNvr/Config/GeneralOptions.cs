namespace LightNvr.Config;

/// <summary>[general]</summary>
public sealed record GeneralOptions
{
    [ConfigKey(IsPath = true, Setting = "pid_file")]
    public string PidFile { get; init; } = "data/lightnvr.pid";

    [ConfigKey(IsPath = true, Setting = "log_file")]
    public string LogFile { get; init; } = "data/lightnvr.log";

    /// <summary>0 error, 1 warn, 2 info, 3 debug.</summary>
    [ConfigKey(Min = 0, Max = 3, Env = ["LOG_LEVEL"], Setting = "log_level", Applies = ConfigApplies.Live)]
    public int LogLevel { get; init; } = 2;

    [ConfigKey(Setting = "syslog_enabled", NoEffect = "stored, no effect yet")]
    public bool SyslogEnabled { get; init; }

    [ConfigKey(Setting = "syslog_ident", NoEffect = "stored, no effect yet")]
    public string SyslogIdent { get; init; } = "lightnvr";

    [ConfigKey(Setting = "syslog_facility",
        Choices = ["LOG_USER", "LOG_DAEMON", "LOG_LOCAL0", "LOG_LOCAL1", "LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4",
            "LOG_LOCAL5", "LOG_LOCAL6", "LOG_LOCAL7"], NoEffect = "stored, no effect yet")]
    public string SyslogFacility { get; init; } = "LOG_USER";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(GeneralOptions);
}
