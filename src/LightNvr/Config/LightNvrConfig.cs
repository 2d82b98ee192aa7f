namespace LightNvr.Config;

/// <summary>
/// The whole of <c>lightnvr.ini</c>, one property per INI section, keys as upstream names them
/// (../shared/reference/lightnvr-upstream.md §3). Paths are absolute after loading (relative ones resolve against the
/// config file's folder, or the working directory when no file was found).
/// </summary>
public sealed class LightNvrConfig
{
    /// <summary>The file this was loaded from, or null when running on built-in defaults.</summary>
    public string? SourceFile { get; set; }

    public GeneralOptions General { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public WebOptions Web { get; set; } = new();
    public StreamsOptions Streams { get; set; } = new();
    public Go2rtcOptions Go2rtc { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
}

/// <summary>[general]</summary>
public sealed class GeneralOptions
{
    public string PidFile { get; set; } = "data/lightnvr.pid";
    public string LogFile { get; set; } = "data/lightnvr.log";
    /// <summary>0 error, 1 warn, 2 info, 3 debug.</summary>
    public int LogLevel { get; set; } = 2;
}

/// <summary>[storage]</summary>
public sealed class StorageOptions
{
    public string Path { get; set; } = "data/recordings";
    public string PathHls { get; set; } = "";
    /// <summary>Bytes; 0 = unlimited.</summary>
    public long MaxSize { get; set; }
    public int RetentionDays { get; set; } = 30;
    public bool AutoDeleteOldest { get; set; } = true;
    public int MinFreePct { get; set; } = 10;
    public int PressureWarningPct { get; set; } = 20;
    public int PressureCriticalPct { get; set; } = 10;
    public int PressureEmergencyPct { get; set; } = 5;
    public string Mp4Path { get; set; } = "data/recordings/mp4";
    /// <summary>flat, year_month or year_month_day.</summary>
    public string Mp4DirectoryFormat { get; set; } = "year_month_day";
    public int Mp4SegmentDuration { get; set; } = 900;
    public int Mp4RetentionDays { get; set; } = 30;
    public bool GenerateThumbnails { get; set; } = true;
    /// <summary>1 or 3.</summary>
    public int ThumbnailsPerRecording { get; set; } = 3;
}

/// <summary>[database]</summary>
public sealed class DatabaseOptions
{
    public string Path { get; set; } = "data/lightnvr.db";
    public int BackupIntervalMinutes { get; set; } = 60;
    public int BackupRetentionCount { get; set; } = 24;
    public string PostBackupScript { get; set; } = "";
}

/// <summary>[web]</summary>
public sealed class WebOptions
{
    public int Port { get; set; } = 8080;
    public string BindIp { get; set; } = "0.0.0.0";
    /// <summary>Folder of the built front end; empty = the <c>www</c> folder beside the executable.</summary>
    public string Root { get; set; } = "";
    public bool AuthEnabled { get; set; } = true;
    public string Username { get; set; } = "admin";
    /// <summary>Only read when the first admin is created; empty = generate a strong random one and print it once.</summary>
    public string Password { get; set; } = "";
    public int AuthTimeoutHours { get; set; } = 24;
    public int AuthAbsoluteTimeoutHours { get; set; } = 168;
    public int TrustedDeviceDays { get; set; } = 30;
    public string TrustedProxyCidrs { get; set; } = "";
    public bool WebrtcDisabled { get; set; }
    public bool HlsDisabled { get; set; }
    public bool MseDisabled { get; set; }
    /// <summary>Upstream's anonymous viewer browsing. Off by default; separate from the demo camera ([demo]).</summary>
    public bool DemoMode { get; set; }
    public bool ForceMfaOnLogin { get; set; }
    public bool LoginRateLimitEnabled { get; set; } = true;
    public int LoginRateLimitMaxAttempts { get; set; } = 5;
    public int LoginRateLimitWindowSeconds { get; set; } = 300;
}

/// <summary>[streams]</summary>
public sealed class StreamsOptions
{
    public int MaxStreams { get; set; } = 32;
}

/// <summary>[go2rtc]: the built-in streaming core takes go2rtc's place and keeps its keys.</summary>
public sealed class Go2rtcOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Port of the built-in RTSP restream server; 0 disables it.</summary>
    public int RtspPort { get; set; } = 8554;
    public int ApiPort { get; set; } = 1984;
    public bool WebrtcEnabled { get; set; } = true;
    public int WebrtcListenPort { get; set; } = 8555;
}

/// <summary>[demo]: this project's switch for a synthetic camera so a fresh install shows video at once.</summary>
public sealed class DemoOptions
{
    public bool Camera { get; set; }
}
