namespace LightNvr.Onvif;

/// <summary>An axis range of a PTZ space (tt:FloatRange: Min, Max).</summary>
public sealed record PtzRange(double Min, double Max)
{
    /// <summary>The generic pan/tilt spaces' −1..1 (ONVIF PTZ §5.7.1), used when a camera reports none.</summary>
    public static readonly PtzRange Generic = new(-1, 1);

    /// <summary>The generic zoom position space's 0..1.</summary>
    public static readonly PtzRange GenericZoom = new(0, 1);

    public bool Contains(double value) => value >= Min && value <= Max;
}
