namespace LightNvr.Onvif;

/// <summary>
/// A stream's camera, connected: its ONVIF session and the profile PTZ and imaging address (the stream's
/// <c>onvif_profile</c>, else the first profile with a PTZ configuration, else the first).
/// </summary>
public sealed record OnvifStreamCamera(OnvifDevice Device, OnvifProfile Profile);
