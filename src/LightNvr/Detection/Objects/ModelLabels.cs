using System.Text.RegularExpressions;

namespace LightNvr.Detection.Objects;

/// <summary>
/// Class names of a model, first found of: a file beside it (<c>model.labels</c> or <c>model.txt</c>, one name a
/// line, line n = class n), Ultralytics' <c>names</c> metadata (<c>{0: 'person', 1: 'bicycle'}</c>), else COCO
/// (<see cref="CocoLabels"/>: the 90-id map for SSD, the 80 classes otherwise).
/// </summary>
public static partial class ModelLabels
{
    /// <summary>Classes a labels file may name: 4096 (Open Images has 600, LVIS 1203).</summary>
    public const int MaxLabels = 4096;

    public static IReadOnlyList<string> Load(string modelPath, IReadOnlyDictionary<string, string> metadata, ModelOutputFormat format)
    {
        if (FindFile(modelPath) is { } file)
        {
            return File.ReadLines(file).Take(MaxLabels).Select(l => l.Trim()).ToArray();
        }
        if (metadata.TryGetValue("names", out var names) && ParseNames(names) is { Count: > 0 } parsed)
        {
            return parsed;
        }
        return format == ModelOutputFormat.Ssd ? CocoLabels.Coco91 : CocoLabels.Coco80;
    }

    /// <summary>The labels file beside <paramref name="modelPath"/>, or null.</summary>
    public static string? FindFile(string modelPath)
    {
        var stem = Path.Combine(Path.GetDirectoryName(modelPath) ?? ".", Path.GetFileNameWithoutExtension(modelPath));
        foreach (var ext in new[] { ".labels", ".txt" })
        {
            if (File.Exists(stem + ext))
            {
                return stem + ext;
            }
        }
        return null;
    }

    /// <summary>Ultralytics writes <c>str(dict)</c>: <c>{0: 'person', 1: "a 'b'"}</c>.</summary>
    public static IReadOnlyList<string> ParseNames(string text)
    {
        var result = new SortedDictionary<int, string>();
        foreach (Match m in NamePattern().Matches(text))
        {
            if (int.TryParse(m.Groups[1].Value, out var id) && id is >= 0 and < MaxLabels)
            {
                result[id] = m.Groups[3].Value;
            }
        }
        if (result.Count == 0)
        {
            return [];
        }
        var list = new string[result.Keys.Max() + 1];
        Array.Fill(list, "");
        foreach (var (id, name) in result)
        {
            list[id] = name;
        }
        return list;
    }

    [GeneratedRegex("""(\d+)\s*:\s*(['"])(.*?)\2""")]
    private static partial Regex NamePattern();
}
