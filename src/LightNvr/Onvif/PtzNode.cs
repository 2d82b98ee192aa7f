namespace LightNvr.Onvif;

/// <summary>
/// What a camera's PTZ node supports (ONVIF PTZ §5.3 GetNodes, tt:PTZNode): which move kinds have a space, the
/// absolute position ranges, home and the preset count (0: not reported).
/// </summary>
public sealed record PtzNode(
    bool HasPanTilt,
    bool HasZoom,
    bool HasContinuousMove,
    bool HasAbsoluteMove,
    bool HasRelativeMove,
    bool HasHome,
    int MaxPresets,
    PtzRange PanRange,
    PtzRange TiltRange,
    PtzRange ZoomRange)
{
    /// <summary>A camera that answers no GetNodes: continuous pan/tilt/zoom in the generic spaces (what every PTZ camera offers).</summary>
    public static readonly PtzNode Assumed = new(true, true, true, false, false, false, 0, PtzRange.Generic, PtzRange.Generic, PtzRange.GenericZoom);
}
