namespace LightNvr.Media.Sdp;

/// <summary>An <c>a=</c> line, RFC 8866 §5.13: <c>a=name</c> (property) or <c>a=name:value</c>.</summary>
/// <param name="Name">Attribute name as sent (compared case-insensitively).</param>
/// <param name="Value">Text after the first colon, or null for a property attribute.</param>
public sealed record SdpAttribute(string Name, string? Value);
