using System.Collections.Concurrent;
using LightNvr.Config;
using Microsoft.ML.OnnxRuntime;

namespace LightNvr.Detection.Objects;

/// <summary>
/// The model files in <c>[models] path</c> for <c>GET /api/detection/models</c>: each <c>.onnx</c> is opened once
/// (its description kept until the file changes) to report its input shape and output format, or why it cannot be
/// used; other model files (upstream's <c>.tflite</c>, SOD) are listed as unsupported. Nothing is opened until the
/// list is asked for.
/// </summary>
public sealed class ModelCatalog(ConfigSnapshots config, TimeProvider time)
{
    /// <summary>Files listed at most: 256 (a models folder holds a handful; this bounds the work of one request).</summary>
    public const int MaxFiles = 256;

    private static readonly string[] ModelExtensions = [".onnx", ".tflite", ".sod", ".realnet"];

    private readonly ConcurrentDictionary<string, (DateTime Modified, long Size, ModelEntry Entry)> _described = new(StringComparer.Ordinal);

    public string Folder => config.Current.Models.Path;

    public bool FolderExists => Directory.Exists(Folder);

    public IReadOnlyList<ModelEntry> List()
    {
        if (!FolderExists)
        {
            return [];
        }
        var files = Directory.EnumerateFiles(Folder)
            .Where(f => ModelExtensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Take(MaxFiles);
        return files.Select(Describe).ToArray();
    }

    private ModelEntry Describe(string path)
    {
        var info = new FileInfo(path);
        if (_described.TryGetValue(path, out var known) && known.Modified == info.LastWriteTimeUtc && known.Size == info.Length)
        {
            return known.Entry;
        }
        var entry = DescribeNow(info);
        _described[path] = (info.LastWriteTimeUtc, info.Length, entry);
        return entry;
    }

    private ModelEntry DescribeNow(FileInfo file)
    {
        var ext = file.Extension.ToLowerInvariant();
        if (ext != ".onnx")
        {
            var type = ext == ".tflite" ? "tflite" : "sod";
            return new ModelEntry(file.FullName, file.Name, type, file.Length, false,
                $"{type} models are not supported here; convert it to ONNX (docs/detection.md)", null, null, null, 0);
        }
        using var model = new OnnxModel(file.FullName, 1, time);
        try
        {
            var d = model.Describe();
            int[] shape = d.Layout == InputLayout.Nchw ? [1, 3, d.InputHeight, d.InputWidth] : [1, d.InputHeight, d.InputWidth, 3];
            return new ModelEntry(file.FullName, file.Name, "onnx", file.Length, true, null, shape, d.FormatName,
                d.Resize == ResizeMode.Letterbox ? "letterbox" : "stretch", d.Labels.Count);
        }
        catch (ObjectDetectorException e)
        {
            return new ModelEntry(file.FullName, file.Name, "onnx", file.Length, false, e.Message, null, null, null, 0);
        }
        catch (OnnxRuntimeException e)
        {
            return new ModelEntry(file.FullName, file.Name, "onnx", file.Length, false, e.Message, null, null, null, 0);
        }
    }
}
