namespace LightNvr.Onvif;

/// <summary>
/// One media profile (ONVIF Media §5.2 GetProfiles): its video encoder settings and, once asked, its stream and
/// snapshot URIs. <see cref="BitrateKbps"/> is the encoder's BitrateLimit (kbit/s, ONVIF Media §5.6.7).
/// </summary>
public sealed record OnvifProfile(
    string Token,
    string Name,
    string? VideoSourceToken,
    string? Encoding,
    int Width,
    int Height,
    int Fps,
    int BitrateKbps,
    string? PtzConfigurationToken)
{
    public string? StreamUri { get; init; }
    public string? SnapshotUri { get; init; }
}
