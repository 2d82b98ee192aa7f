using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LightNvr.Api.Http;

/// <summary>Source-generated JSON for the types the auth and stream endpoints write.</summary>
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
