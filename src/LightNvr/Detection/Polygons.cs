using LightNvr.Data;

namespace LightNvr.Detection;

/// <summary>Plane geometry of zone polygons (normalised coordinates): area, edge crossings, point inside.</summary>
public static class Polygons
{
    /// <summary>Signed area (shoelace formula); positive for counter-clockwise in a y-up frame.</summary>
    public static double Area(IReadOnlyList<ZonePoint> polygon)
    {
        var sum = 0.0;
        for (var i = 0; i < polygon.Count; i++)
        {
            var a = polygon[i];
            var b = polygon[(i + 1) % polygon.Count];
            sum += (a.X * b.Y) - (b.X * a.Y);
        }
        return sum / 2;
    }

    /// <summary>
    /// The first pair of edges (edge i joins point i and i+1, the last closes the ring) that touch or cross other than
    /// at their shared vertex, or null for a simple polygon. Adjacent edges that fold back over each other count.
    /// O(n²), n ≤ <see cref="ZoneRules.MaxPoints"/>.
    /// </summary>
    public static (int A, int B)? FirstCrossing(IReadOnlyList<ZonePoint> polygon)
    {
        var n = polygon.Count;
        for (var i = 0; i < n; i++)
        {
            var a1 = polygon[i];
            var a2 = polygon[(i + 1) % n];
            for (var j = i + 1; j < n; j++)
            {
                var b1 = polygon[j];
                var b2 = polygon[(j + 1) % n];
                var adjacent = j == i + 1 || (i == 0 && j == n - 1);
                if (adjacent)
                {
                    // They share one vertex; they are bad only when collinear and overlapping (folding back).
                    var shared = j == i + 1 ? a2 : a1;
                    var other1 = j == i + 1 ? a1 : a2;
                    var other2 = j == i + 1 ? b2 : b1;
                    if (Cross(shared, other1, other2) == 0 && Dot(shared, other1, other2) > 0)
                    {
                        return (i, j);
                    }
                    continue;
                }
                if (SegmentsTouch(a1, a2, b1, b2))
                {
                    return (i, j);
                }
            }
        }
        return null;
    }

    /// <summary>True when every point lies on one straight line (or all coincide).</summary>
    public static bool AllOnOneLine(IReadOnlyList<ZonePoint> polygon)
    {
        var a = polygon[0];
        var b = polygon.FirstOrDefault(p => p != a);
        return polygon.All(p => Math.Abs(Cross(a, b, p)) < 1e-12);
    }

    /// <summary>Even-odd rule: true when (x, y) is inside the polygon.</summary>
    public static bool Contains(IReadOnlyList<ZonePoint> polygon, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var pi = polygon[i];
            var pj = polygon[j];
            if ((pi.Y > y) != (pj.Y > y) && x < ((pj.X - pi.X) * (y - pi.Y) / (pj.Y - pi.Y)) + pi.X)
            {
                inside = !inside;
            }
        }
        return inside;
    }

    private static bool SegmentsTouch(ZonePoint p1, ZonePoint p2, ZonePoint q1, ZonePoint q2)
    {
        var d1 = Math.Sign(Cross(q1, q2, p1));
        var d2 = Math.Sign(Cross(q1, q2, p2));
        var d3 = Math.Sign(Cross(p1, p2, q1));
        var d4 = Math.Sign(Cross(p1, p2, q2));
        if (d1 * d2 < 0 && d3 * d4 < 0)
        {
            return true;
        }
        return (d1 == 0 && OnSegment(q1, q2, p1)) || (d2 == 0 && OnSegment(q1, q2, p2)) ||
               (d3 == 0 && OnSegment(p1, p2, q1)) || (d4 == 0 && OnSegment(p1, p2, q2));
    }

    /// <summary>Z of (b − a) × (c − a).</summary>
    private static double Cross(ZonePoint a, ZonePoint b, ZonePoint c) =>
        ((b.X - a.X) * (c.Y - a.Y)) - ((b.Y - a.Y) * (c.X - a.X));

    private static double Dot(ZonePoint a, ZonePoint b, ZonePoint c) =>
        ((b.X - a.X) * (c.X - a.X)) + ((b.Y - a.Y) * (c.Y - a.Y));

    private static bool OnSegment(ZonePoint a, ZonePoint b, ZonePoint p) =>
        p.X >= Math.Min(a.X, b.X) && p.X <= Math.Max(a.X, b.X) && p.Y >= Math.Min(a.Y, b.Y) && p.Y <= Math.Max(a.Y, b.Y);
}
