namespace LightNvr.Events;

/// <summary>A rectangle in frame coordinates normalised to 0–1 (x right, y down), as upstream stores boxes.</summary>
public readonly record struct NormalizedBox(float X, float Y, float Width, float Height);
