using System.Globalization;
using LightNvr.Data;

namespace LightNvr.Detection;

/// <summary>
/// What a zone must be before it is stored: upstream's limits (lightnvr-api.md §2.4, <c>db_zones.h</c>) plus the
/// geometry upstream never checked. Each problem is one sentence naming the zone, for a 400.
/// </summary>
public static class ZoneRules
{
    /// <summary>Zones per stream: upstream's <c>MAX_ZONES_PER_STREAM</c>.</summary>
    public const int MaxZones = 16;

    /// <summary>Polygon vertices: upstream's <c>MAX_ZONE_POINTS</c>.</summary>
    public const int MaxPoints = 32;

    /// <summary>Fewest vertices of a polygon with an area.</summary>
    public const int MinPoints = 3;

    /// <summary>Zone id and name length: upstream's 64-byte C buffers less the terminator.</summary>
    public const int MaxIdLength = 63;

    /// <summary>Colour length: upstream's 8-byte buffer, i.e. <c>#rrggbb</c>.</summary>
    public const int MaxColorLength = 7;

    /// <summary>Class filter length: upstream's 256-byte buffer less the terminator.</summary>
    public const int MaxFilterLength = 255;

    /// <summary>Null when <paramref name="zone"/> may be stored; else why not.</summary>
    public static string? Problem(DetectionZone zone)
    {
        var who = $"Zone '{zone.Id}'";
        if (zone.Id.Length == 0 || zone.Id.Length > MaxIdLength)
        {
            return $"Zone id must be 1–{MaxIdLength} characters (got {zone.Id.Length})";
        }
        if (zone.Name.Length == 0 || zone.Name.Length > MaxIdLength)
        {
            return $"{who}: name must be 1–{MaxIdLength} characters (got {zone.Name.Length})";
        }
        if (zone.Color.Length > MaxColorLength)
        {
            return $"{who}: color must be at most {MaxColorLength} characters (e.g. #3b82f6)";
        }
        if (zone.FilterClasses.Length > MaxFilterLength)
        {
            return $"{who}: filter_classes must be at most {MaxFilterLength} characters";
        }
        if (!(zone.MinConfidence is >= 0 and <= 1))
        {
            return $"{who}: min_confidence must be between 0 and 1";
        }
        return PolygonProblem(who, zone.Polygon);
    }

    /// <summary>Null for a simple polygon of 3–32 points inside 0–1 with an area; else why not.</summary>
    public static string? PolygonProblem(string who, IReadOnlyList<ZonePoint> polygon)
    {
        if (polygon.Count < MinPoints)
        {
            return $"{who}: polygon needs at least {MinPoints} points (got {polygon.Count})";
        }
        if (polygon.Count > MaxPoints)
        {
            return $"{who}: polygon has {polygon.Count} points (at most {MaxPoints})";
        }
        for (var i = 0; i < polygon.Count; i++)
        {
            var p = polygon[i];
            if (!(p.X is >= 0 and <= 1) || !(p.Y is >= 0 and <= 1))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{who}: point {i + 1} (x={p.X}, y={p.Y}) is outside 0–1 (coordinates are fractions of the picture)");
            }
        }
        if (Polygons.AllOnOneLine(polygon))
        {
            return $"{who}: polygon has no area (its points are on one line)";
        }
        if (Polygons.FirstCrossing(polygon) is { } crossing)
        {
            return $"{who}: polygon is self-intersecting (edge {crossing.A + 1} crosses edge {crossing.B + 1})";
        }
        if (Math.Abs(Polygons.Area(polygon)) < 1e-9)
        {
            return $"{who}: polygon has no area";
        }
        return null;
    }
}
