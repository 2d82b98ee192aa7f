using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>The <c>storage</c> block of <c>/api/health</c>: bytes used by recordings and free on their filesystem.</summary>
public sealed class StorageUsage
{
    [JsonPropertyName("used_bytes")]
    public long UsedBytes { get; set; }

    [JsonPropertyName("available_bytes")]
    public long AvailableBytes { get; set; }
}
