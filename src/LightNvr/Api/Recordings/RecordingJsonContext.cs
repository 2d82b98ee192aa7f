using System.Text.Json.Serialization;

namespace LightNvr.Api.Recordings;

/// <summary>Source-generated JSON for the recordings API (compact, upstream's field names on the types).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(RecordingJson))]
[JsonSerializable(typeof(RecordingListJson))]
public sealed partial class RecordingJsonContext : JsonSerializerContext;
