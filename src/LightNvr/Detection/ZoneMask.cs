using LightNvr.Data;

namespace LightNvr.Detection;

/// <summary>
/// A zone rasterised once for one frame size: the indexes of the pixels whose centres lie inside its polygon, and their
/// bounding rows, so evaluating a frame costs the zone's area, not the frame's.
/// </summary>
public sealed class ZoneMask
{
    private ZoneMask(string? id, int[] pixels, int width, int height)
    {
        Id = id;
        Pixels = pixels;
        Width = width;
        Height = height;
    }

    /// <summary>The zone's id; null for the whole frame (a stream without zones).</summary>
    public string? Id { get; }

    /// <summary>Row-major pixel indexes inside the zone, ascending.</summary>
    public int[] Pixels { get; }

    public int Width { get; }

    public int Height { get; }

    public static ZoneMask WholeFrame(int width, int height) =>
        new(null, Enumerable.Range(0, width * height).ToArray(), width, height);

    public static ZoneMask Rasterise(DetectionZone zone, int width, int height)
    {
        var pixels = new List<int>();
        var polygon = zone.Polygon;
        var minY = polygon.Min(p => p.Y);
        var maxY = polygon.Max(p => p.Y);
        var firstRow = Math.Max(0, (int)Math.Floor((minY * height) - 0.5));
        var lastRow = Math.Min(height - 1, (int)Math.Ceiling((maxY * height) - 0.5));
        for (var y = firstRow; y <= lastRow; y++)
        {
            var cy = (y + 0.5) / height;
            for (var x = 0; x < width; x++)
            {
                if (Polygons.Contains(polygon, (x + 0.5) / width, cy))
                {
                    pixels.Add((y * width) + x);
                }
            }
        }
        return new ZoneMask(zone.Id, pixels.ToArray(), width, height);
    }
}
