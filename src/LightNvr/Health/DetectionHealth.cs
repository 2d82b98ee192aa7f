using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>
/// The <c>detection</c> object of a <c>streams_detail</c> entry in <c>/api/health</c> (ours; upstream has none): the
/// stream's detection decoder, its restarts and why the last one happened. Absent for streams that do not detect.
/// </summary>
public sealed class DetectionHealth
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = "";

    /// <summary>"main" or "sub": which of the camera's streams is decoded.</summary>
    [JsonPropertyName("source")]
    public string Source { get; set; } = "main";

    /// <summary>waiting, running, restarting or stopped.</summary>
    [JsonPropertyName("state")]
    public string State { get; set; } = "";

    [JsonPropertyName("decoder_restarts")]
    public long DecoderRestarts { get; set; }

    [JsonPropertyName("frames_analyzed")]
    public long FramesAnalyzed { get; set; }

    [JsonPropertyName("observations")]
    public long Observations { get; set; }

    [JsonPropertyName("motion")]
    public bool Motion { get; set; }

    [JsonPropertyName("last_error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastError { get; set; }

    /// <summary>The stream's object detector (issue 14), absent for motion only.</summary>
    [JsonPropertyName("objects")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ObjectDetectionHealth? Objects { get; set; }
}
