namespace LightNvr.Onvif;

/// <summary>An imaging value's allowed range (tt:FloatRange of tt:ImagingOptions20).</summary>
public sealed record ImagingRange(double Min, double Max)
{
    public bool Contains(double value) => value >= Min && value <= Max;
}
