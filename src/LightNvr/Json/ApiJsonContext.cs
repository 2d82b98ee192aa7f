using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LightNvr.Json;

/// <summary>
/// Source-generated JSON for what every web answer writes: the error body and JSON nodes. Registered by
/// <c>AddLightNvrAuth</c>, whose challenges write the error body too.
/// </summary>
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
