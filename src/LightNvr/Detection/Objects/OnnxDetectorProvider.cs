using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Detection.Objects;

/// <summary>
/// <c>detection_model</c> → ONNX model file: an absolute path, a file name (with or without <c>.onnx</c>) in
/// <c>[models] path</c>, or <c>onnx</c> for the default model (<see cref="DefaultModelFile"/>, what <c>make models</c>
/// installs). Upstream's model paths ending <c>.tflite</c> or naming SOD models are not ONNX and are left to others
/// (none here: the stream's health then says no detector handles the model).
/// </summary>
public sealed class OnnxDetectorProvider(ConfigSnapshots config, OnnxModelCache cache) : IObjectDetectorProvider
{
    /// <summary>The default model's file in <c>[models] path</c>: the CenterNet COCO detector the build converts.</summary>
    public const string DefaultModelFile = "centernet.onnx";

    /// <summary><c>detection_model</c> value for the default model.</summary>
    public const string DefaultModelName = "onnx";

    public IObjectDetector? Create(StreamConfig stream)
    {
        var path = Resolve(stream.DetectionModel, config.Current.Models.Path);
        if (path is null)
        {
            return null;
        }
        var model = cache.Acquire(path, config.Current.DetectionEngine.Threads);
        return new OnnxObjectDetector(cache, model);
    }

    /// <summary>The model file for <paramref name="model"/>, or null when it is no ONNX model name.</summary>
    public static string? Resolve(string model, string modelsPath)
    {
        var m = model.Trim();
        if (m.Equals(DefaultModelName, StringComparison.OrdinalIgnoreCase))
        {
            return Path.Combine(modelsPath, DefaultModelFile);
        }
        if (m.Length == 0 || DetectionPlan.IsBuiltIn(m))
        {
            return null;
        }
        var ext = Path.GetExtension(m);
        if (ext.Length > 0 && !ext.Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var file = ext.Length == 0 ? m + ".onnx" : m;
        return Path.IsPathRooted(file) ? file : Path.Combine(modelsPath, file);
    }
}
