using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>One entry of <c>streams_detail</c> in <c>/api/health</c> (upstream's field names).</summary>
public sealed class StreamHealth
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>up, degraded or down.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "down";

    [JsonPropertyName("fps")]
    public double Fps { get; set; }

    [JsonPropertyName("configured_fps")]
    public int ConfiguredFps { get; set; }

    [JsonPropertyName("bitrate_bps")]
    public long BitrateBps { get; set; }

    [JsonPropertyName("uptime_seconds")]
    public long UptimeSeconds { get; set; }

    [JsonPropertyName("reconnects")]
    public long Reconnects { get; set; }

    [JsonPropertyName("last_frame_ts")]
    public long LastFrameTs { get; set; }

    [JsonPropertyName("frames_total")]
    public long FramesTotal { get; set; }

    [JsonPropertyName("frames_dropped")]
    public long FramesDropped { get; set; }

    [JsonPropertyName("connection_latency_ms")]
    public double ConnectionLatencyMs { get; set; }

    [JsonPropertyName("recording_active")]
    public bool RecordingActive { get; set; }

    /// <summary>Why the stream is down or degraded (the stream's error_message); omitted when there is none.</summary>
    [JsonPropertyName("error_message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorMessage { get; set; }

    /// <summary>The stream's detection decoder (ours, not upstream's); omitted when the stream does not detect.</summary>
    [JsonPropertyName("detection")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DetectionHealth? Detection { get; set; }

    [JsonPropertyName("recording_gaps")]
    public long RecordingGaps { get; set; }

    [JsonPropertyName("sparkline_fps")]
    public IList<double> SparklineFps { get; } = [];

    [JsonPropertyName("sparkline_bitrate")]
    public IList<double> SparklineBitrate { get; } = [];

    /// <summary>Bytes the pre-event buffer holds (event recording, docs/events.md); omitted for streams without one.</summary>
    [JsonPropertyName("pre_buffer_bytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PreBufferBytes { get; set; }

    /// <summary>Seconds of media the pre-event buffer holds (from its first keyframe to the newest frame).</summary>
    [JsonPropertyName("pre_buffer_seconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PreBufferSeconds { get; set; }
}
