namespace LightNvr.Data;

/// <summary>
/// One row of <c>streams</c>: a camera's configuration. Defaults are what upstream's API gives a new stream
/// (lightnvr-api.md §2.1). <see cref="DetectionThreshold"/> is the stored fraction 0–1 (the API shows a percent).
/// Schedules are 168 hourly flags, Sunday 00:00 first.
/// </summary>
public sealed record StreamConfig
{
    /// <summary>Hours in a week: the length of a recording schedule.</summary>
    public const int ScheduleHours = 168;

    public long Id { get; init; }
    public required string Name { get; init; }
    public required string Url { get; init; }
    public bool Enabled { get; init; } = true;
    public bool StreamingEnabled { get; init; } = true;
    public int Width { get; init; }
    public int Height { get; init; }
    public int Fps { get; init; }
    public string Codec { get; init; } = "";
    public int Priority { get; init; } = 5;
    public bool Record { get; init; } = true;
    public int SegmentDuration { get; init; } = 30;
    public bool DetectionBasedRecording { get; init; }
    public string DetectionModel { get; init; } = "";
    public double DetectionThreshold { get; init; } = 0.5;
    public int DetectionInterval { get; init; } = 10;
    public int PreDetectionBuffer { get; init; } = 5;
    public int PostDetectionBuffer { get; init; } = 5;
    public string DetectionObjectFilter { get; init; } = "";
    public string DetectionObjectFilterList { get; init; } = "";
    /// <summary>Ours (M0008): object detection only on frames with motion since the previous one. On by default.</summary>
    public bool DetectionMotionGate { get; init; } = true;
    /// <summary>0 = TCP, 1 = UDP.</summary>
    public int Protocol { get; init; }
    public bool RecordAudio { get; init; } = true;
    public bool AudioVoiceEnhancement { get; init; }
    public bool IsOnvif { get; init; }
    public bool BackchannelEnabled { get; init; }
    /// <summary>-1 inherit the global setting, 0 unlimited, 1–365 days.</summary>
    public int RetentionDays { get; init; } = -1;
    public int DetectionRetentionDays { get; init; } = -1;
    public long MaxStorageMb { get; init; }
    public double TierCriticalMultiplier { get; init; } = 3.0;
    public double TierImportantMultiplier { get; init; } = 2.0;
    public double TierEphemeralMultiplier { get; init; } = 0.25;
    public int StoragePriority { get; init; } = 5;
    public bool PtzEnabled { get; init; }
    public int PtzMaxX { get; init; }
    public int PtzMaxY { get; init; }
    public int PtzMaxZ { get; init; }
    public bool PtzHasHome { get; init; }
    public string OnvifUsername { get; init; } = "";
    public string OnvifPassword { get; init; } = "";
    public string OnvifProfile { get; init; } = "";
    public int OnvifPort { get; init; }
    public bool RecordOnSchedule { get; init; }
    public IReadOnlyList<bool> RecordingSchedule { get; init; } = AllHours;
    public bool DetectionRecordOnSchedule { get; init; }
    public IReadOnlyList<bool> DetectionRecordingSchedule { get; init; } = AllHours;
    /// <summary>Comma-separated tags (tag-based access control).</summary>
    public string Tags { get; init; } = "";
    public string AdminUrl { get; init; } = "";
    public bool PrivacyMode { get; init; }
    public string MotionTriggerSource { get; init; } = "";
    public string Go2rtcSourceOverride { get; init; } = "";
    public string SubStreamUrl { get; init; } = "";
    public string DetectionUrl { get; init; } = "";
    public string PublishUrl { get; init; } = "";

    /// <summary>A schedule that allows every hour.</summary>
    public static IReadOnlyList<bool> AllHours { get; } = Enumerable.Repeat(true, ScheduleHours).ToArray();

    /// <summary>Stored form of a schedule: 168 characters of '0'/'1'; empty text reads as every hour.</summary>
    public static string FormatSchedule(IReadOnlyList<bool> schedule) =>
        string.Concat(schedule.Select(b => b ? '1' : '0'));

    public static IReadOnlyList<bool> ParseSchedule(string text)
    {
        var digits = text.Where(c => c is '0' or '1').ToArray();
        return digits.Length == ScheduleHours ? digits.Select(c => c == '1').ToArray() : AllHours;
    }
}
