using System.Text.Json.Serialization;

namespace LightNvr.Live;

/// <summary>Source-generated JSON for the live viewer protocol messages.</summary>
[JsonSerializable(typeof(WsMessage))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
