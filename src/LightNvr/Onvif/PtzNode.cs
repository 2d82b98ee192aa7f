namespace LightNvr.Onvif;

/// <summary>
/// What a camera's PTZ node supports (ONVIF PTZ §5.3 GetNodes, tt:PTZNode): which move kinds have a space, the
/// absolute position ranges, home and the preset count (0: not reported), and the speed spaces absolute and relative
/// moves may name a speed in (PanTiltSpeedSpace, ZoomSpeedSpace; null: the camera reports none).
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
    /// <summary>ContinuousMove's velocity ranges (ContinuousPanTiltVelocitySpace X/Y, ContinuousZoomVelocitySpace X); generic −1..1.</summary>
    public PtzRange PanVelocity { get; init; } = PtzRange.Generic;

    public PtzRange TiltVelocity { get; init; } = PtzRange.Generic;

    public PtzRange ZoomVelocity { get; init; } = PtzRange.Generic;

    /// <summary>The pan/tilt speed range (generic speed space 0..1, ONVIF PTZ §5.7.4); null: no speed for pan/tilt.</summary>
    public PtzRange? PanTiltSpeed { get; init; }

    /// <summary>The zoom speed range (generic 0..1); null: no speed for zoom.</summary>
    public PtzRange? ZoomSpeed { get; init; }

    /// <summary>A camera that answers no GetNodes: continuous pan/tilt/zoom in the generic spaces (what every PTZ camera offers).</summary>
    public static readonly PtzNode Assumed = new(true, true, true, false, false, false, 0, PtzRange.Generic, PtzRange.Generic, PtzRange.GenericZoom);
}
