namespace LightNvr.Onvif;

/// <summary>A PTZ position (null axes: the camera did not report them) and its move status (IDLE, MOVING).</summary>
public sealed record PtzStatus(double? Pan, double? Tilt, double? Zoom, string? MoveStatus);
