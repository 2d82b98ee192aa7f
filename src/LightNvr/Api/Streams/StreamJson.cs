using System.Text.Json.Nodes;
using LightNvr.Data;

namespace LightNvr.Api.Streams;

/// <summary>
/// The stream object of GET /api/streams (lightnvr-api.md §2.1), with upstream's field names (isOnvif camelCase,
/// detection_threshold as a percent). For a viewer (§2.2) credentials and side URLs are blanked and the url loses its
/// user:password part.
/// </summary>
public static class StreamJson
{
    public static JsonObject From(StreamConfig s, StreamStatus status, bool seesSecrets)
    {
        var json = new JsonObject
        {
            ["name"] = s.Name,
            ["url"] = seesSecrets ? s.Url : StripCredentials(s.Url),
            ["enabled"] = s.Enabled,
            ["streaming_enabled"] = s.StreamingEnabled,
            ["width"] = s.Width,
            ["height"] = s.Height,
            ["fps"] = s.Fps,
            ["codec"] = s.Codec,
            ["priority"] = s.Priority,
            ["record"] = s.Record,
            ["segment_duration"] = s.SegmentDuration,
            ["detection_based_recording"] = s.DetectionBasedRecording,
            ["detection_model"] = s.DetectionModel,
            ["detection_threshold"] = (int)Math.Round(s.DetectionThreshold * 100),
            ["detection_interval"] = s.DetectionInterval,
            ["pre_detection_buffer"] = s.PreDetectionBuffer,
            ["post_detection_buffer"] = s.PostDetectionBuffer,
            ["detection_object_filter"] = s.DetectionObjectFilter,
            ["detection_object_filter_list"] = s.DetectionObjectFilterList,
            ["detection_motion_gate"] = s.DetectionMotionGate,
            ["protocol"] = s.Protocol,
            ["record_audio"] = s.RecordAudio,
            ["audio_voice_enhancement"] = s.AudioVoiceEnhancement,
            ["isOnvif"] = s.IsOnvif,
            ["backchannel_enabled"] = s.BackchannelEnabled,
            ["retention_days"] = s.RetentionDays,
            ["detection_retention_days"] = s.DetectionRetentionDays,
            ["max_storage_mb"] = s.MaxStorageMb,
            ["tier_critical_multiplier"] = s.TierCriticalMultiplier,
            ["tier_important_multiplier"] = s.TierImportantMultiplier,
            ["tier_ephemeral_multiplier"] = s.TierEphemeralMultiplier,
            ["storage_priority"] = s.StoragePriority,
            ["ptz_enabled"] = s.PtzEnabled,
            ["ptz_max_x"] = s.PtzMaxX,
            ["ptz_max_y"] = s.PtzMaxY,
            ["ptz_max_z"] = s.PtzMaxZ,
            ["ptz_has_home"] = s.PtzHasHome,
            ["onvif_username"] = seesSecrets ? s.OnvifUsername : "",
            ["onvif_password"] = seesSecrets ? s.OnvifPassword : "",
            ["onvif_profile"] = s.OnvifProfile,
            ["onvif_port"] = s.OnvifPort,
            ["record_on_schedule"] = s.RecordOnSchedule,
            ["recording_schedule"] = Schedule(s.RecordingSchedule),
            ["detection_record_on_schedule"] = s.DetectionRecordOnSchedule,
            ["detection_recording_schedule"] = Schedule(s.DetectionRecordingSchedule),
            ["tags"] = s.Tags,
            ["admin_url"] = seesSecrets ? s.AdminUrl : "",
            ["privacy_mode"] = s.PrivacyMode,
            ["can_control_privacy"] = seesSecrets,
            ["motion_trigger_source"] = s.MotionTriggerSource,
            ["go2rtc_source_override"] = seesSecrets ? s.Go2rtcSourceOverride : "",
            ["sub_stream_url"] = seesSecrets ? s.SubStreamUrl : "",
            ["has_sub_stream"] = s.SubStreamUrl.Length > 0,
            ["detection_url"] = seesSecrets ? s.DetectionUrl : "",
            ["publish_url"] = seesSecrets ? s.PublishUrl : "",
            ["status"] = status.State,
            ["go2rtc_hls_available"] = status.HlsAvailable,
        };
        if (status.State == "Error" && !string.IsNullOrEmpty(status.ErrorMessage))
        {
            json["error_message"] = status.ErrorMessage;
        }
        return json;
    }

    /// <summary>
    /// The URL without its user:password@ part and with credential parameters in its path or query masked
    /// (<c>/user=***_password=***</c>); empty when it cannot be parsed (never leak on doubt).
    /// </summary>
    public static string StripCredentials(string url) => LightNvr.Media.Streaming.CredentialRedaction.MaskParameters(StripUserInfo(url));

    private static string StripUserInfo(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return url.Contains('@', StringComparison.Ordinal) ? "" : url;
        }
        var authorityStart = scheme + 3;
        var pathStart = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authorityEnd = pathStart < 0 ? url.Length : pathStart;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        return at < 0 ? url : url[..authorityStart] + url[(at + 1)..];
    }

    private static JsonArray Schedule(IReadOnlyList<bool> schedule)
    {
        var array = new JsonArray();
        foreach (var hour in schedule)
        {
            array.Add(hour);
        }
        return array;
    }
}
