using LightNvr.Api.Http;
using LightNvr.Data;
using LightNvr.Restream;

namespace LightNvr.Api.Streams;

/// <summary>
/// Validates the writable fields of a stream create (POST) or partial update (PUT) body and applies them to a
/// <see cref="StreamConfig"/>. Every field is type- and range-checked; the first problem is the 400 (or 413) message.
/// Unknown keys are ignored so clients can send back a whole stream object.
/// </summary>
public sealed class StreamRequest(RequestFields fields)
{
    /// <summary>Stream names: a path segment and a file name part, so short and plain.</summary>
    public const int MaxNameLength = 64;
    /// <summary>Camera and side URLs (upstream's URL buffers are 1024 bytes).</summary>
    public const int MaxUrlLength = 1024;
    /// <summary>go2rtc source override text (upstream's buffer; larger is 413).</summary>
    public const int MaxSourceOverrideLength = 8192;
    /// <summary>Free-text fields: model path, tags, filter list, ONVIF credentials.</summary>
    public const int MaxTextLength = 1024;
    /// <summary>A segment between 10 s and an hour; upstream's default is 30 s and its INI default 900 s.</summary>
    public const int MinSegmentSeconds = 10, MaxSegmentSeconds = 3600;

    private static readonly string[] CameraSchemes = ["rtsp", "rtsps", "http", "https"];

    public int Status { get; private set; } = StatusCodes.Status400BadRequest;
    public string? Error => _error ?? fields.Error;
    private string? _error;

    /// <summary>A new stream from a create body: name and url required, then every field checked; else the status and why.</summary>
    public static (StreamConfig? Stream, int Status, string? Error) ForCreate(RequestFields fields)
    {
        var name = fields.String("name", MaxNameLength * 4)?.Trim();
        var url = fields.String("url", MaxUrlLength * 4);
        if (fields.Error is { } typeError)
        {
            return (null, StatusCodes.Status400BadRequest, typeError);
        }
        if (name is null || url is null)
        {
            return (null, StatusCodes.Status400BadRequest, "Missing required fields (name, url)");
        }
        if (NameProblem(name) is { } nameProblem)
        {
            return (null, StatusCodes.Status400BadRequest, nameProblem);
        }

        var request = new StreamRequest(fields);
        var stream = request.Apply(new StreamConfig { Name = name, Url = url }, create: true);
        return (stream, request.Status, stream is null ? request.Error : null);
    }

    /// <summary>
    /// <paramref name="current"/> with an update body applied (the name cannot change; <c>enable_disabled</c> turns a
    /// disabled stream on), or the status and why not.
    /// </summary>
    public static (StreamConfig? Stream, int Status, string? Error) ForUpdate(StreamConfig current, RequestFields fields)
    {
        if (fields.Has("name") && fields.String("name") is { } newName && newName.Trim() != current.Name)
        {
            return (null, StatusCodes.Status400BadRequest, "Stream name cannot be changed");
        }

        var request = new StreamRequest(fields);
        var updated = request.Apply(fields.Bool("enable_disabled") == true ? current with { Enabled = true } : current, create: false);
        return (updated, request.Status, updated is null ? request.Error : null);
    }

    /// <summary>The current config with the body's fields applied, or null with <see cref="Error"/> set.</summary>
    public StreamConfig? Apply(StreamConfig current, bool create)
    {
        var url = fields.String("url");
        if (url is not null && url.StartsWith(FfmpegSourceUrl.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var ffmpegError = "";
            if (url.Length > MaxUrlLength)
            {
                Fail("url is longer than 1024 characters");
            }
            else if (FfmpegSourceUrl.Parse(url, out ffmpegError) is null)
            {
                Fail("url: " + ffmpegError);
            }
        }
        else if (url is not null && !IsUrl(url, CameraSchemes, requireValue: true))
        {
            Fail("url must be an rtsp, rtsps, http or https URL with a host, or an ffmpeg: source (at most 1024 characters)");
        }
        var s = current with
        {
            Url = url ?? current.Url,
            Enabled = fields.Bool("enabled") ?? current.Enabled,
            StreamingEnabled = fields.Bool("streaming_enabled") ?? current.StreamingEnabled,
            Width = fields.Int("width", 0, 16384) ?? current.Width,
            Height = fields.Int("height", 0, 16384) ?? current.Height,
            Fps = fields.Int("fps", 0, 120) ?? current.Fps,
            Codec = Choice("codec", ["", "h264", "h265"]) ?? current.Codec,
            Priority = fields.Int("priority", 1, 10) ?? current.Priority,
            Record = fields.Bool("record") ?? current.Record,
            SegmentDuration = fields.Int("segment_duration", MinSegmentSeconds, MaxSegmentSeconds) ?? current.SegmentDuration,
            DetectionBasedRecording = fields.Bool("detection_based_recording") ?? current.DetectionBasedRecording,
            DetectionModel = fields.String("detection_model", MaxTextLength) ?? current.DetectionModel,
            DetectionThreshold = fields.Number("detection_threshold", 0, 100) is { } pct ? pct / 100.0 : current.DetectionThreshold,
            DetectionInterval = fields.Int("detection_interval", 1, 3600) ?? current.DetectionInterval,
            PreDetectionBuffer = fields.Int("pre_detection_buffer", 0, 300) ?? current.PreDetectionBuffer,
            PostDetectionBuffer = fields.Int("post_detection_buffer", 0, 3600) ?? current.PostDetectionBuffer,
            DetectionObjectFilter = Choice("detection_object_filter", ["", "none", "include", "exclude"]) ?? current.DetectionObjectFilter,
            DetectionObjectFilterList = fields.String("detection_object_filter_list", MaxTextLength) ?? current.DetectionObjectFilterList,
            DetectionMotionGate = fields.Bool("detection_motion_gate") ?? current.DetectionMotionGate,
            Protocol = fields.Int("protocol", 0, 1) ?? current.Protocol,
            RecordAudio = fields.Bool("record_audio") ?? current.RecordAudio,
            AudioVoiceEnhancement = fields.Bool("audio_voice_enhancement") ?? current.AudioVoiceEnhancement,
            BackchannelEnabled = fields.Bool("backchannel_enabled") ?? current.BackchannelEnabled,
            RetentionDays = Retention("retention_days") ?? current.RetentionDays,
            DetectionRetentionDays = Retention("detection_retention_days") ?? current.DetectionRetentionDays,
            MaxStorageMb = fields.Long("max_storage_mb", 0, 1L << 30) ?? current.MaxStorageMb,
            TierCriticalMultiplier = fields.Number("tier_critical_multiplier", 0, 100) ?? current.TierCriticalMultiplier,
            TierImportantMultiplier = fields.Number("tier_important_multiplier", 0, 100) ?? current.TierImportantMultiplier,
            TierEphemeralMultiplier = fields.Number("tier_ephemeral_multiplier", 0, 100) ?? current.TierEphemeralMultiplier,
            StoragePriority = fields.Int("storage_priority", 1, 10) ?? current.StoragePriority,
            PtzEnabled = fields.Bool("ptz_enabled") ?? current.PtzEnabled,
            PtzMaxX = fields.Int("ptz_max_x", 0, 100_000) ?? current.PtzMaxX,
            PtzMaxY = fields.Int("ptz_max_y", 0, 100_000) ?? current.PtzMaxY,
            PtzMaxZ = fields.Int("ptz_max_z", 0, 100_000) ?? current.PtzMaxZ,
            PtzHasHome = fields.Bool("ptz_has_home") ?? current.PtzHasHome,
            RecordOnSchedule = fields.Bool("record_on_schedule") ?? current.RecordOnSchedule,
            RecordingSchedule = fields.BoolArray("recording_schedule", StreamConfig.ScheduleHours) ?? current.RecordingSchedule,
            DetectionRecordOnSchedule = fields.Bool("detection_record_on_schedule") ?? current.DetectionRecordOnSchedule,
            DetectionRecordingSchedule = fields.BoolArray("detection_recording_schedule", StreamConfig.ScheduleHours)
                ?? current.DetectionRecordingSchedule,
            Tags = fields.String("tags", MaxTextLength) ?? current.Tags,
            AdminUrl = UrlField("admin_url", ["http", "https"], "admin_url must use http or https") ?? current.AdminUrl,
            MotionTriggerSource = MotionSource(current.Name) ?? current.MotionTriggerSource,
            Go2rtcSourceOverride = SourceOverride() ?? current.Go2rtcSourceOverride,
            SubStreamUrl = UrlField("sub_stream_url", CameraSchemes, "sub_stream_url must use rtsp, rtsps, http, or https")
                ?? current.SubStreamUrl,
            DetectionUrl = UrlField("detection_url", ["http", "https", "rtsp", "rtsps"], "detection_url must use http, https, rtsp, or rtsps")
                ?? current.DetectionUrl,
            PublishUrl = UrlField("publish_url", ["rtmp", "rtmps"], "publish_url must use rtmp or rtmps") ?? current.PublishUrl,
            IsOnvif = fields.Bool("isOnvif") ?? fields.Bool("is_onvif") ?? (create ? (url ?? "").Contains("onvif", StringComparison.OrdinalIgnoreCase) : current.IsOnvif),
        };
        var onvif = s.IsOnvif;
        s = s with
        {
            OnvifUsername = (onvif ? fields.String("onvif_username", MaxTextLength) : null) ?? current.OnvifUsername,
            OnvifPassword = (onvif ? fields.String("onvif_password", MaxTextLength) : null) ?? current.OnvifPassword,
            OnvifProfile = (onvif ? fields.String("onvif_profile", MaxTextLength) : null) ?? current.OnvifProfile,
            OnvifPort = fields.Int("onvif_port", 0, 65535) ?? current.OnvifPort,
        };
        return Error is null ? s : null;
    }

    /// <summary>Name rules for a new stream; null when valid, else upstream's message.</summary>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "Stream name cannot be empty"
        : name.Length > MaxNameLength ? $"Stream name must be at most {MaxNameLength} characters"
        : !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? "Stream name can only contain letters, digits, '.', '-', and '_'"
        : name[0] == '.' ? "Stream name cannot start with '.'"
        : null;

    /// <summary>An absolute URL of one of the schemes, with a host, at most <see cref="MaxUrlLength"/> characters.</summary>
    public static bool IsUrl(string url, string[] schemes, bool requireValue) =>
        url.Length == 0 ? !requireValue
        : url.Length <= MaxUrlLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme)
          && uri.Host.Length > 0;

    private void Fail(string message, int status = StatusCodes.Status400BadRequest)
    {
        if (Error is null)
        {
            _error = message;
            Status = status;
        }
    }

    private string? Choice(string name, string[] allowed)
    {
        var value = fields.String(name, MaxTextLength)?.Trim().ToLowerInvariant();
        if (value is not null && !allowed.Contains(value))
        {
            Fail($"Field '{name}' must be one of: {string.Join(", ", allowed.Where(a => a.Length > 0))}");
            return null;
        }
        return value;
    }

    private int? Retention(string name)
    {
        if (!fields.Has(name) || Error is not null)
        {
            return null;
        }
        var value = fields.Long(name, long.MinValue, long.MaxValue);
        if (value is < -1 or > 365)
        {
            Fail($"{name} must be between -1 and 365");
            return null;
        }
        return (int?)value;
    }

    private string? UrlField(string name, string[] schemes, string message)
    {
        var value = fields.String(name);
        if (value is null)
        {
            return null;
        }
        if (value.Length > MaxUrlLength)
        {
            Fail($"{name} exceeds size limit", StatusCodes.Status413PayloadTooLarge);
            return null;
        }
        if (!IsUrl(value.Trim(), schemes, requireValue: false))
        {
            Fail(message);
            return null;
        }
        return value.Trim();
    }

    private string? MotionSource(string self)
    {
        var value = fields.String("motion_trigger_source", MaxNameLength + 1);
        if (value is { Length: > 0 } && (NameProblem(value) is not null || value == self))
        {
            Fail("motion_trigger_source must be the name of another stream");
            return null;
        }
        return value;
    }

    private string? SourceOverride()
    {
        var value = fields.String("go2rtc_source_override");
        if (value is { Length: > MaxSourceOverrideLength })
        {
            Fail("go2rtc_source_override exceeds size limit", StatusCodes.Status413PayloadTooLarge);
            return null;
        }
        return value;
    }
}
