namespace LightNvr.Detection.Objects;

/// <summary>How a model's outputs are laid out (docs/detection.md "Output formats").</summary>
public enum ModelOutputFormat
{
    /// <summary>One output <c>[1,N,6]</c>: x1, y1, x2, y2, score, class per row (already after NMS), pixels or 0–1.</summary>
    Flat,

    /// <summary>Ultralytics v8/v11: <c>[1,4+C,A]</c> (or transposed), cx, cy, w, h in input pixels, then C class scores.</summary>
    Yolo,

    /// <summary>YOLO with an objectness score: <c>[1,A,5+C]</c> (v5/v7) or <c>[1,5+C,A]</c>; score = objectness × class.</summary>
    YoloObjectness,

    /// <summary>TensorFlow SSD: boxes <c>[1,N,4]</c> (ymin, xmin, ymax, xmax, 0–1), classes, scores (+ num_detections).</summary>
    Ssd,
}
