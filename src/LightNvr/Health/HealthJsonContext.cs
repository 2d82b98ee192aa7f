using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>Source-generated JSON for the host's typed answers (compact output, upstream's names on the types).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(HealthReport))]
public sealed partial class HealthJsonContext : JsonSerializerContext;
