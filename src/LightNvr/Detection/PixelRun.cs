namespace LightNvr.Detection;

/// <summary>Pixels <paramref name="X"/> … <paramref name="X"/> + <paramref name="Length"/> − 1 of row <paramref name="Y"/> (a piece of a <see cref="ZoneMask"/>).</summary>
public readonly record struct PixelRun(int Y, int X, int Length);
