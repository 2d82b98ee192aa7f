using LightNvr.Data;

namespace LightNvr.Detection;

/// <summary>
/// A zone rasterised once for one frame size: the pixels whose centres lie inside its polygon, kept as horizontal runs
/// (row, first column, length) in row order, so evaluating a frame costs the zone's area in vector compares, not a
/// lookup per pixel.
/// </summary>
public sealed class ZoneMask
{
    private ZoneMask(string? id, PixelRun[] runs, int width, int height)
    {
        Id = id;
        Runs = runs;
        Area = runs.Sum(r => r.Length);
        Width = width;
        Height = height;
    }

    /// <summary>The zone's id; null for the whole frame (a stream without zones).</summary>
    public string? Id { get; }

    /// <summary>The zone's pixels as runs within a row, by row then column (one or more per row the zone touches).</summary>
    public PixelRun[] Runs { get; }

    /// <summary>Pixels inside the zone.</summary>
    public int Area { get; }

    public int Width { get; }

    public int Height { get; }

    public static ZoneMask WholeFrame(int width, int height) =>
        new(null, Enumerable.Range(0, height).Select(y => new PixelRun(y, 0, width)).ToArray(), width, height);

    public static ZoneMask Rasterise(DetectionZone zone, int width, int height)
    {
        var runs = new List<PixelRun>();
        var polygon = zone.Polygon;
        var minY = polygon.Min(p => p.Y);
        var maxY = polygon.Max(p => p.Y);
        var firstRow = Math.Max(0, (int)Math.Floor((minY * height) - 0.5));
        var lastRow = Math.Min(height - 1, (int)Math.Ceiling((maxY * height) - 0.5));
        for (var y = firstRow; y <= lastRow; y++)
        {
            var cy = (y + 0.5) / height;
            var start = -1;
            for (var x = 0; x <= width; x++)
            {
                var inside = x < width && Polygons.Contains(polygon, (x + 0.5) / width, cy);
                if (inside && start < 0)
                {
                    start = x;
                }
                else if (!inside && start >= 0)
                {
                    runs.Add(new PixelRun(y, start, x - start));
                    start = -1;
                }
            }
        }
        return new ZoneMask(zone.Id, runs.ToArray(), width, height);
    }
}
