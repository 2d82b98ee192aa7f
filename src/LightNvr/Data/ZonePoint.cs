namespace LightNvr.Data;

/// <summary>One polygon vertex of a detection zone, in frame coordinates normalised to 0–1 (x right, y down).</summary>
public readonly record struct ZonePoint(double X, double Y);
