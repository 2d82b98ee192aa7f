namespace LightNvr.Detection.Objects;

/// <summary>
/// Turns a model's raw outputs into boxes in model input pixels (docs/detection.md "Output formats"): the flat
/// <c>[1,N,6]</c> layout, Ultralytics YOLO with or without objectness in either orientation, and TF SSD's separate
/// boxes/classes/scores. YOLO gets NMS here; the flat and SSD layouts come out of the model already suppressed.
/// </summary>
public static class OutputDecoders
{
    /// <summary>
    /// Scores under this are dropped before NMS: 0.05, under any threshold worth setting (upstream's default is 0.5),
    /// and it keeps 8400 anchors × 80 classes of a YOLO output from reaching NMS.
    /// </summary>
    public const float MinScore = 0.05f;

    /// <summary>Corners of 0–1.5 in every box are taken as normalised coordinates (a flat output may use either).</summary>
    private const float NormalisedLimit = 1.5f;

    public static List<RawDetection> Decode(ModelOutputFormat format, IReadOnlyList<ModelOutput> outputs, int inputWidth,
        int inputHeight, int classCount) => format switch
    {
        ModelOutputFormat.Flat => Flat(Single(outputs), inputWidth, inputHeight),
        ModelOutputFormat.Yolo => Yolo(Single(outputs), classCount, objectness: false),
        ModelOutputFormat.YoloObjectness => Yolo(Single(outputs), classCount, objectness: true),
        _ => Ssd(outputs, inputWidth, inputHeight),
    };

    public static List<RawDetection> Flat(ModelOutput output, int inputWidth, int inputHeight)
    {
        var dims = output.Dims;
        if (dims.Length != 2 || dims[1] < 6)
        {
            throw new ObjectDetectorException($"output '{output.Name}' is [{string.Join(',', output.Shape)}], not [1,N,6]");
        }
        var stride = (int)dims[1];
        var v = output.Values;
        var rows = v.Length / stride;
        var normalised = true;
        var list = new List<RawDetection>();
        for (var r = 0; r < rows; r++)
        {
            var o = r * stride;
            if (v[o + 4] < MinScore)
            {
                continue;
            }
            normalised &= Math.Max(Math.Max(v[o], v[o + 1]), Math.Max(v[o + 2], v[o + 3])) <= NormalisedLimit;
            list.Add(new RawDetection(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], (int)MathF.Round(v[o + 5])));
        }
        if (normalised)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var d = list[i];
                list[i] = d with { X1 = d.X1 * inputWidth, Y1 = d.Y1 * inputHeight, X2 = d.X2 * inputWidth, Y2 = d.Y2 * inputHeight };
            }
        }
        return list;
    }

    /// <summary>
    /// YOLO: per anchor cx, cy, w, h (input pixels), [objectness], C class scores. The orientation follows the
    /// shape: attributes first (<c>[1,4+C,A]</c>, v8/v11 export) when that axis is the shorter one, else last (v5).
    /// </summary>
    public static List<RawDetection> Yolo(ModelOutput output, int classCount, bool objectness)
    {
        var dims = output.Dims;
        if (dims.Length != 2)
        {
            throw new ObjectDetectorException($"output '{output.Name}' is [{string.Join(',', output.Shape)}], not a YOLO [1,4+C,A]");
        }
        var attrsFirst = dims[0] < dims[1];
        var attrs = (int)(attrsFirst ? dims[0] : dims[1]);
        var anchors = (int)(attrsFirst ? dims[1] : dims[0]);
        var first = objectness ? 5 : 4;
        var classes = attrs - first; // every class the output has, named or not (classCount is for choosing the layout)
        _ = classCount;
        if (classes <= 0)
        {
            throw new ObjectDetectorException($"output '{output.Name}' has {attrs} values per box: too few for YOLO");
        }
        var v = output.Values;
        float At(int anchor, int attr) => attrsFirst ? v[(attr * anchors) + anchor] : v[(anchor * attrs) + attr];
        var list = new List<RawDetection>();
        for (var a = 0; a < anchors; a++)
        {
            var obj = objectness ? At(a, 4) : 1f;
            if (obj < MinScore)
            {
                continue;
            }
            var best = 0;
            var bestScore = float.MinValue;
            for (var c = 0; c < classes; c++)
            {
                var s = At(a, first + c);
                if (s > bestScore)
                {
                    (best, bestScore) = (c, s);
                }
            }
            var score = obj * bestScore;
            if (score < MinScore)
            {
                continue;
            }
            float cx = At(a, 0), cy = At(a, 1), w = At(a, 2), h = At(a, 3);
            list.Add(new RawDetection(cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2), score, best));
        }
        return NonMaxSuppression.Apply(list);
    }

    /// <summary>TF SSD: boxes ymin, xmin, ymax, xmax (0–1), classes (label-map ids), scores, optional num_detections.</summary>
    public static List<RawDetection> Ssd(IReadOnlyList<ModelOutput> outputs, int inputWidth, int inputHeight)
    {
        var boxes = outputs.FirstOrDefault(o => o.Name.Contains("box", StringComparison.OrdinalIgnoreCase))
            ?? outputs.FirstOrDefault(o => o.Dims is [_, 4]);
        var rest = outputs.Where(o => !ReferenceEquals(o, boxes)).ToList();
        var scores = rest.FirstOrDefault(o => o.Name.Contains("score", StringComparison.OrdinalIgnoreCase));
        var classes = rest.FirstOrDefault(o => o.Name.Contains("class", StringComparison.OrdinalIgnoreCase));
        var count = rest.FirstOrDefault(o => o.Name.Contains("num", StringComparison.OrdinalIgnoreCase));
        var unnamed = rest.Where(o => o != scores && o != classes && o != count && o.Values.Length > 1).ToList();
        classes ??= unnamed.ElementAtOrDefault(0); // TF's order: boxes, classes, scores, num_detections
        scores ??= unnamed.ElementAtOrDefault(1);
        if (boxes is null || scores is null || classes is null)
        {
            throw new ObjectDetectorException("SSD model needs boxes, classes and scores outputs; found "
                + string.Join(", ", outputs.Select(o => $"{o.Name}[{string.Join(',', o.Shape)}]")));
        }
        var n = Math.Min(boxes.Values.Length / 4, Math.Min(scores.Values.Length, classes.Values.Length));
        if (count is { Values.Length: > 0 })
        {
            n = Math.Min(n, (int)count.Values[0]);
        }
        var list = new List<RawDetection>();
        for (var i = 0; i < n; i++)
        {
            if (scores.Values[i] < MinScore)
            {
                continue;
            }
            var b = boxes.Values.AsSpan(i * 4, 4);
            list.Add(new RawDetection(b[1] * inputWidth, b[0] * inputHeight, b[3] * inputWidth, b[2] * inputHeight,
                scores.Values[i], (int)MathF.Round(classes.Values[i])));
        }
        return list;
    }

    private static ModelOutput Single(IReadOnlyList<ModelOutput> outputs) =>
        outputs.Count > 0 ? outputs[0] : throw new ObjectDetectorException("model has no outputs");
}
