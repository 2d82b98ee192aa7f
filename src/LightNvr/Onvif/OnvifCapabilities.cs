namespace LightNvr.Onvif;

/// <summary>The service addresses a camera offers (GetCapabilities, or GetServices on cameras without it).</summary>
public sealed record OnvifCapabilities(Uri? Device, Uri? Media, Uri? Media2, Uri? Ptz, Uri? Imaging, Uri? Events, bool PullPointSupport);
