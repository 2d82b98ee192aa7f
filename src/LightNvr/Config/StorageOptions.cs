namespace LightNvr.Config;

/// <summary>[storage]</summary>
public sealed record StorageOptions
{
    [ConfigKey(IsPath = true, Env = ["STORAGE_PATH"], Setting = "storage_path")]
    public string Path { get; init; } = "data/recordings";

    /// <summary>Empty = <c>path</c>/hls.</summary>
    [ConfigKey(IsPath = true, Setting = "storage_path_hls", NoEffect = "stored, no effect yet (live HLS is in memory)")]
    public string PathHls { get; init; } = "";

    /// <summary>Bytes; 0 = unlimited.</summary>
    [ConfigKey(Min = 0, Setting = "max_storage_size", Applies = ConfigApplies.Live)]
    public long MaxSize { get; init; }

    /// <summary>Upstream's settings API allows 0–365.</summary>
    [ConfigKey(Min = 0, Max = 365, Env = ["RETENTION_DAYS"], Setting = "retention_days", Applies = ConfigApplies.Live)]
    public int RetentionDays { get; init; } = 30;

    [ConfigKey(Setting = "auto_delete_oldest", Applies = ConfigApplies.Live)]
    public bool AutoDeleteOldest { get; init; } = true;

    /// <summary>0 disables capacity-based eviction.</summary>
    [ConfigKey(Min = 0, Max = 100, Setting = "storage_min_free_pct", Applies = ConfigApplies.Live)]
    public int MinFreePct { get; init; } = 10;

    [ConfigKey(Min = 0, Max = 100, Setting = "storage_pressure_warning_pct", Applies = ConfigApplies.Live)]
    public int PressureWarningPct { get; init; } = 20;

    [ConfigKey(Min = 0, Max = 100, Setting = "storage_pressure_critical_pct", Applies = ConfigApplies.Live)]
    public int PressureCriticalPct { get; init; } = 10;

    [ConfigKey(Min = 0, Max = 100, Setting = "storage_pressure_emergency_pct", Applies = ConfigApplies.Live)]
    public int PressureEmergencyPct { get; init; } = 5;

    [ConfigKey(NoEffect = "stored, no effect yet (always MP4)")]
    public bool RecordMp4Directly { get; init; }

    [ConfigKey(IsPath = true)]
    public string Mp4Path { get; init; } = "data/recordings/mp4";

    [ConfigKey(Choices = ["flat", "year_month", "year_month_day"], Setting = "mp4_directory_format", Applies = ConfigApplies.Live)]
    public string Mp4DirectoryFormat { get; init; } = "year_month_day";

    /// <summary>Seconds; 10 s to 1 h (upstream's stream editor bounds).</summary>
    [ConfigKey(Min = 10, Max = 3600)]
    public int Mp4SegmentDuration { get; init; } = 900;

    [ConfigKey(Min = 0, Max = 365, NoEffect = "stored, no effect yet (retention_days applies)")]
    public int Mp4RetentionDays { get; init; } = 30;

    /// <summary>
    /// Minutes after which a manual recording (<c>POST /api/streams/{name}/recording</c> start) stops by itself; 0 = only
    /// when asked. Upstream has no such key (its manual recording runs until stopped or restarted); the default bounds
    /// a forgotten recording to one hour, the ceiling is a day (<see cref="MaxManualRecordingMinutes"/>). Read when a
    /// manual recording starts.
    /// </summary>
    [ConfigKey(Min = 0, Max = MaxManualRecordingMinutes, Setting = "manual_recording_max_minutes", Applies = ConfigApplies.Live)]
    public int ManualRecordingMaxMinutes { get; init; } = 60;

    /// <summary>The longest time limit a manual recording may be given: one day (longer is continuous recording's job).</summary>
    public const int MaxManualRecordingMinutes = 1440;

    [ConfigKey(Setting = "generate_thumbnails", Applies = ConfigApplies.Live)]
    public bool GenerateThumbnails { get; init; } = true;

    [ConfigKey(Choices = ["1", "3"], Setting = "thumbnails_per_recording", Applies = ConfigApplies.Live)]
    public int ThumbnailsPerRecording { get; init; } = 3;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(StorageOptions);
}
