namespace LightNvr.Data;

/// <summary>
/// One row of <c>detection_zones</c>: a polygon of a stream's picture where detection counts (lightnvr-api.md §2.4).
/// Motion outside every enabled zone is ignored when a stream has enabled zones; <see cref="FilterClasses"/> and
/// <see cref="MinConfidence"/> are for object detection.
/// </summary>
public sealed record DetectionZone
{
    public required string Id { get; init; }
    public required string StreamName { get; init; }
    public required string Name { get; init; }
    public bool Enabled { get; init; }
    public string Color { get; init; } = DefaultColor;
    public required IReadOnlyList<ZonePoint> Polygon { get; init; }
    /// <summary>Comma-separated class names; empty = every class.</summary>
    public string FilterClasses { get; init; } = "";
    public double MinConfidence { get; init; }

    /// <summary>Upstream's default zone colour (the table's default too).</summary>
    public const string DefaultColor = "#3b82f6";
}
