using System.Text.Json.Serialization;

namespace LightNvr.Json;

/// <summary>The error body every API failure uses: <c>{"error":"message"}</c> (upstream's shape, always valid JSON).</summary>
public sealed record ErrorBody([property: JsonPropertyName("error")] string Error);
