using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LightNvr.Detection.Objects;

/// <summary>
/// What a model wants and gives, read from its graph (docs/detection.md "Models"): input name, layout, size and
/// element type, the output layout, the pre-processing and the class names. Each guess can be overridden by the
/// model's metadata (<c>lightnvr.format</c>, <c>lightnvr.resize</c>, <c>lightnvr.pixel_range</c>) or by
/// <c>model.conf</c> beside it (<c>format = yolo</c>, <c>resize = stretch</c>, <c>pixel_range = 255</c>).
/// </summary>
public sealed record OnnxModelInfo(
    string InputName,
    InputLayout Layout,
    int InputWidth,
    int InputHeight,
    TensorElementType InputType,
    float InputScale,
    ResizeMode Resize,
    ModelOutputFormat Format,
    IReadOnlyList<string> OutputNames,
    IReadOnlyList<string> Labels)
{
    /// <summary>Input side used when the model leaves it dynamic: 640, Ultralytics' default export size.</summary>
    public const int DefaultInputSize = 640;

    /// <summary>Largest input side accepted: 4096 (a 4096² float input is 200 MB; nothing sensible is bigger).</summary>
    public const int MaxInputSize = 4096;

    public string FormatName => Format switch
    {
        ModelOutputFormat.Flat => "flat",
        ModelOutputFormat.Yolo => "yolo",
        ModelOutputFormat.YoloObjectness => "yolo-objectness",
        _ => "ssd",
    };

    public static OnnxModelInfo Describe(InferenceSession session, string path)
    {
        var overrides = ReadOverrides(path, session.ModelMetadata.CustomMetadataMap);
        var (inputName, input) = session.InputMetadata.First();
        var d = input.Dimensions;
        if (d.Length != 4)
        {
            throw new ObjectDetectorException($"input '{inputName}' has {d.Length} dimensions; an image model has 4 ([1,3,H,W] or [1,H,W,3])");
        }
        var layout = d[1] == 3 ? InputLayout.Nchw : d[3] == 3 ? InputLayout.Nhwc : d[1] is -1 or 0 && d[3] is > 0 and <= 4 ? InputLayout.Nhwc : InputLayout.Nchw;
        var (h, w) = layout == InputLayout.Nchw ? (d[2], d[3]) : (d[1], d[2]);
        h = h <= 0 ? DefaultInputSize : h;
        w = w <= 0 ? DefaultInputSize : w;
        if (w > MaxInputSize || h > MaxInputSize)
        {
            throw new ObjectDetectorException($"input {w}x{h} is larger than {MaxInputSize}");
        }
        var type = input.ElementDataType;
        if (type is not (TensorElementType.Float or TensorElementType.UInt8 or TensorElementType.Int32))
        {
            throw new ObjectDetectorException($"input '{inputName}' is {type}; float, uint8 or int32 images are supported");
        }
        var outputs = session.OutputMetadata.Select(o => (o.Key, o.Value.Dimensions)).ToList();
        var labelsGuess = ModelLabels.Load(path, session.ModelMetadata.CustomMetadataMap, ModelOutputFormat.Yolo);
        var format = overrides.TryGetValue("format", out var f) ? ParseFormat(f) : GuessFormat(outputs, labelsGuess.Count);
        var labels = ModelLabels.Load(path, session.ModelMetadata.CustomMetadataMap, format);
        // YOLO (PyTorch) takes 0–1 and is trained letterboxed; TF exports (NHWC: SSD, CenterNet) take 0–255 stretched.
        var scale = overrides.TryGetValue("pixel_range", out var r) && r.Trim() == "1" ? 1f / 255
            : overrides.ContainsKey("pixel_range") || layout == InputLayout.Nhwc || type != TensorElementType.Float ? 1f : 1f / 255;
        var resize = overrides.TryGetValue("resize", out var rs)
            ? rs.Trim().Equals("stretch", StringComparison.OrdinalIgnoreCase) ? ResizeMode.Stretch : ResizeMode.Letterbox
            : format is ModelOutputFormat.Yolo or ModelOutputFormat.YoloObjectness ? ResizeMode.Letterbox : ResizeMode.Stretch;
        return new OnnxModelInfo(inputName, layout, w, h, type, scale, resize, format, outputs.Select(o => o.Key).ToArray(), labels);
    }

    /// <summary>The layout from the output shapes: 3+ outputs = SSD; <c>[1,N,6]</c> = flat; else YOLO by the class count.</summary>
    public static ModelOutputFormat GuessFormat(IReadOnlyList<(string Name, int[] Dims)> outputs, int classCount)
    {
        if (outputs.Count >= 3)
        {
            return ModelOutputFormat.Ssd;
        }
        var dims = outputs[0].Dims is [1, _, _] ? outputs[0].Dims[1..] : outputs[0].Dims;
        if (dims is [_, 6] && dims[0] != 6)
        {
            return ModelOutputFormat.Flat;
        }
        if (dims.Length != 2)
        {
            return ModelOutputFormat.Yolo;
        }
        var attrsFirst = dims[0] > 0 && (dims[1] <= 0 || dims[0] < dims[1]);
        var attrs = attrsFirst ? dims[0] : dims[1];
        return attrs - 5 == classCount ? ModelOutputFormat.YoloObjectness
            : attrs - 4 == classCount ? ModelOutputFormat.Yolo
            : attrsFirst ? ModelOutputFormat.Yolo : ModelOutputFormat.YoloObjectness;
    }

    public static ModelOutputFormat ParseFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "flat" => ModelOutputFormat.Flat,
        "yolo" or "yolov8" or "yolo11" => ModelOutputFormat.Yolo,
        "yolo-objectness" or "yolov5" or "yolov7" => ModelOutputFormat.YoloObjectness,
        "ssd" => ModelOutputFormat.Ssd,
        _ => throw new ObjectDetectorException($"format '{text}' is not flat, yolo, yolo-objectness or ssd"),
    };

    private static Dictionary<string, string> ReadOverrides(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in metadata)
        {
            if (k.StartsWith("lightnvr.", StringComparison.OrdinalIgnoreCase))
            {
                result[k["lightnvr.".Length..]] = v;
            }
        }
        var conf = Path.ChangeExtension(path, ".conf");
        if (File.Exists(conf))
        {
            foreach (var line in File.ReadLines(conf).Take(64))
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && !line.TrimStart().StartsWith('#'))
                {
                    result[line[..eq].Trim()] = line[(eq + 1)..].Trim();
                }
            }
        }
        return result;
    }
}
