using System.Text.Json.Serialization;

namespace LightNvr.Live;

/// <summary>go2rtc's WebSocket text message: <c>{"type":"mse","value":"…"}</c>.</summary>
public readonly record struct WsMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string? Value);
