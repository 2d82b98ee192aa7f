namespace LightNvr.Detection.Objects;

/// <summary>Greedy per-class non-maximum suppression (what Ultralytics and TF's post-processing do).</summary>
public static class NonMaxSuppression
{
    /// <summary>IoU over which the weaker of two same-class boxes is dropped: 0.45, Ultralytics' and Frigate's default.</summary>
    public const float DefaultIoU = 0.45f;

    /// <summary>Boxes kept per frame at most: 100, as TF's SSD and CenterNet exports (max_detections).</summary>
    public const int MaxDetections = 100;

    public static List<RawDetection> Apply(List<RawDetection> boxes, float iou = DefaultIoU)
    {
        boxes.Sort((a, b) => b.Score.CompareTo(a.Score));
        var kept = new List<RawDetection>(Math.Min(boxes.Count, MaxDetections));
        foreach (var box in boxes)
        {
            var suppressed = false;
            foreach (var k in kept)
            {
                if (k.Class == box.Class && k.IoU(box) > iou)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed)
            {
                kept.Add(box);
                if (kept.Count == MaxDetections)
                {
                    break;
                }
            }
        }
        return kept;
    }
}
