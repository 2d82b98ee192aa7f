namespace LightNvr.Onvif;

/// <summary>
/// A device that answered a WS-Discovery Probe: its endpoint reference, device service URL (first http XAddr), IP,
/// the name and hardware from its <c>onvif://www.onvif.org/name/…</c> and <c>…/hardware/…</c> scopes, and when.
/// </summary>
public sealed record DiscoveredDevice(
    string Endpoint,
    Uri DeviceService,
    string IpAddress,
    string Name,
    string Hardware,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Scopes,
    DateTimeOffset DiscoveredAt);
