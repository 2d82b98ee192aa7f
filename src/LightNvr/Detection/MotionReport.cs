using LightNvr.Events;

namespace LightNvr.Detection;

/// <summary>Motion in one zone (or the whole frame, <see cref="ZoneId"/> null) that the detector reports.</summary>
/// <param name="Fraction">Changed share of the zone's pixels.</param>
/// <param name="Confidence">0–1, growing with <see cref="Fraction"/> over the configured minimum area.</param>
/// <param name="Box">Bounding box of the changed pixels inside the zone.</param>
public sealed record MotionReport(string? ZoneId, double Fraction, float Confidence, NormalizedBox Box);
