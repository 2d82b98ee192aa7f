namespace LightNvr.Onvif;

/// <summary>
/// The speed of an absolute or relative move (tt:PTZSpeed, ONVIF PTZ §5.3.4/§5.3.5): one pan/tilt speed (sent as x and
/// y) and a zoom speed, each in the camera's speed space (generic: 0..1); null: the camera's default speed.
/// </summary>
public sealed record PtzSpeed(double? PanTilt, double? Zoom);
