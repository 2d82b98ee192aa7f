using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Detection.Objects;

/// <summary>
/// Which detected objects a stream reports: score ≥ <c>detection_threshold</c>, the label passing
/// <c>detection_object_filter</c> (<c>none</c>, <c>include</c> or <c>exclude</c> the comma-separated
/// <c>detection_object_filter_list</c>, upstream migration 0023), and, when the stream has enabled zones, the box's
/// bottom centre (where the object stands, Frigate's rule) inside a zone whose class filter names the label (empty =
/// every class) and whose <c>min_confidence</c> the score meets. The result carries the zone's id.
/// </summary>
public static class ObjectFilter
{
    public static List<(DetectedObject Object, string? Zone)> Apply(IReadOnlyList<DetectedObject> objects, StreamConfig stream,
        IReadOnlyList<DetectionZone> zones)
    {
        var mode = stream.DetectionObjectFilter.Trim().ToLowerInvariant();
        var list = SplitList(stream.DetectionObjectFilterList);
        var enabled = zones.Where(z => z.Enabled).ToList();
        var result = new List<(DetectedObject, string?)>();
        foreach (var o in objects)
        {
            if (o.Confidence < stream.DetectionThreshold)
            {
                continue;
            }
            var listed = list.Contains(o.Label);
            if ((mode == "include" && !listed) || (mode == "exclude" && listed))
            {
                continue;
            }
            if (enabled.Count == 0)
            {
                result.Add((o, null));
                continue;
            }
            var x = o.Box.X + (o.Box.Width / 2);
            var y = o.Box.Y + o.Box.Height;
            foreach (var zone in enabled)
            {
                var classes = SplitList(zone.FilterClasses);
                if ((classes.Count == 0 || classes.Contains(o.Label)) && o.Confidence >= zone.MinConfidence
                    && Polygons.Contains(zone.Polygon, x, Math.Min(y, 0.9999)))
                {
                    result.Add((o, zone.Id));
                    break;
                }
            }
        }
        return result;
    }

    private static HashSet<string> SplitList(string text) =>
        new(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}
