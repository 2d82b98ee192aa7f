using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>
/// <c>streams_detail[].detection.objects</c> in <c>/api/health</c> (ours): the object detector of a stream, how many of
/// its frames motion gated away, how many the shared queue dropped, the last inference time and the last error (a model
/// that does not load, a service that does not answer).
/// </summary>
public sealed class ObjectDetectionHealth
{
    /// <summary>The model file name or the service.</summary>
    [JsonPropertyName("detector")]
    public string Detector { get; set; } = "";

    [JsonPropertyName("motion_gate")]
    public bool MotionGate { get; set; }

    [JsonPropertyName("interval_seconds")]
    public int IntervalSeconds { get; set; }

    [JsonPropertyName("frames_offered")]
    public long FramesOffered { get; set; }

    /// <summary>Frames skipped because nothing moved since the previous one.</summary>
    [JsonPropertyName("frames_gated")]
    public long FramesGated { get; set; }

    /// <summary>
    /// Frames stamped less than half an interval after the last one taken (a decoder catching up after a stall hands
    /// over the frames it owes in a burst), skipped before the queue.
    /// </summary>
    [JsonPropertyName("frames_early")]
    public long FramesEarly { get; set; }

    /// <summary>Frames pushed out of its inference lane by newer ones (the detector is too slow).</summary>
    [JsonPropertyName("frames_dropped")]
    public long FramesDropped { get; set; }

    [JsonPropertyName("inferences")]
    public long Inferences { get; set; }

    [JsonPropertyName("last_inference_ms")]
    public double LastInferenceMs { get; set; }

    [JsonPropertyName("objects_reported")]
    public long ObjectsReported { get; set; }

    [JsonPropertyName("last_error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastError { get; set; }
}
