using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>The <c>streams</c> block of <c>/api/health</c>.</summary>
public sealed class StreamCounts
{
    [JsonPropertyName("total")]
    public int Total { get; set; }

    [JsonPropertyName("up")]
    public int Up { get; set; }

    [JsonPropertyName("degraded")]
    public int Degraded { get; set; }

    [JsonPropertyName("down")]
    public int Down { get; set; }
}
