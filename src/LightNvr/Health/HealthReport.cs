using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>
/// <c>GET /api/health</c>'s body (upstream §10): filled by <see cref="HealthService"/> and then by every
/// <see cref="IHealthContributor"/>. Always HTTP 200 with <c>healthy</c> true; <c>status</c> says how it really is.
/// </summary>
public sealed class HealthReport
{
    [JsonPropertyName("healthy")]
    public bool Healthy { get; set; } = true;

    [JsonPropertyName("uptime")]
    public long Uptime { get; set; }

    [JsonPropertyName("totalRequests")]
    public long TotalRequests { get; set; }

    [JsonPropertyName("failedRequests")]
    public long FailedRequests { get; set; }

    /// <summary>Server-local <c>yyyy-MM-dd HH:mm:ss</c>, as upstream.</summary>
    [JsonPropertyName("timestamp")]
    public string Timestamp { get; set; } = "";

    /// <summary>healthy, degraded or critical (derived from <see cref="Streams"/> after the contributors ran).</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "healthy";

    [JsonPropertyName("streams")]
    public StreamCounts Streams { get; } = new();

    [JsonPropertyName("storage")]
    public StorageUsage Storage { get; } = new();

    [JsonPropertyName("streams_detail")]
    public IList<StreamHealth> StreamsDetail { get; } = [];

    /// <summary>For <c>/api/system</c>'s <c>recordings</c> block; not part of the health answer.</summary>
    [JsonIgnore]
    public long RecordingCount { get; set; }

    /// <summary>For <c>/api/system</c>'s <c>recordings</c> block; not part of the health answer.</summary>
    [JsonIgnore]
    public long RecordingBytes { get; set; }
}
