using System.Text;
using System.Text.Json;
using LightNvr.Events;

namespace LightNvr.Detection.Objects.Api;

/// <summary>
/// Reads a detection service's JSON reply (<see cref="ApiDetectorFormat"/>) into <see cref="DetectedObject"/>s with
/// boxes normalised to the frame and clamped to 0–1. As upstream (api_detection.c), one malformed entry is skipped;
/// a reply that is not JSON, lacks the list, or (DeepStack) says <c>success: false</c> is a
/// <see cref="FormatException"/> whose message quotes the start of the reply.
/// </summary>
public static class ApiReplyParser
{
    /// <summary>Upstream keeps at most 20 detections per frame (detection_result.h MAX_DETECTIONS).</summary>
    public const int MaxDetections = 20;

    /// <summary>Characters of a bad reply quoted in the error (upstream logs a 63-character preview).</summary>
    private const int PreviewLength = 63;

    public static IReadOnlyList<DetectedObject> Parse(ApiDetectorFormat format, ReadOnlySpan<byte> body, int width, int height)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            throw new FormatException($"the reply is not JSON: {Preview(body)}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the reply is not a JSON object: {Preview(body)}");
            }
            return format == ApiDetectorFormat.DeepStack ? DeepStack(root, body, width, height) : LightObjectDetect(root, body);
        }
    }

    private static List<DetectedObject> DeepStack(JsonElement root, ReadOnlySpan<byte> body, int width, int height)
    {
        if (root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False)
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            throw new FormatException($"the service answered success=false{(error is null ? "" : ": " + Clip(error))}");
        }
        if (!root.TryGetProperty("predictions", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"the reply has no predictions[] list: {Preview(body)}");
        }
        var found = new List<DetectedObject>();
        foreach (var p in list.EnumerateArray())
        {
            if (found.Count == MaxDetections)
            {
                break;
            }
            if (Read(p, out var label, out var confidence, out var x1, out var y1, out var x2, out var y2))
            {
                found.Add(Make(label, confidence, x1 / width, y1 / height, x2 / width, y2 / height));
            }
        }
        return found;
    }

    private static List<DetectedObject> LightObjectDetect(JsonElement root, ReadOnlySpan<byte> body)
    {
        if (!root.TryGetProperty("detections", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"the reply has no detections[] list: {Preview(body)}");
        }
        var found = new List<DetectedObject>();
        foreach (var d in list.EnumerateArray())
        {
            if (found.Count == MaxDetections)
            {
                break;
            }
            if (d.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            // The box is nested in bounding_box (current light-object-detect) or at the top level (older replies).
            var box = d.TryGetProperty("bounding_box", out var b) && b.ValueKind == JsonValueKind.Object ? b : d;
            if (TryText(d, "label", out var label) && TryNumber(d, "confidence", out var confidence)
                && TryNumber(box, "x_min", out var x1) && TryNumber(box, "y_min", out var y1)
                && TryNumber(box, "x_max", out var x2) && TryNumber(box, "y_max", out var y2))
            {
                found.Add(Make(label, confidence, x1, y1, x2, y2));
            }
        }
        return found;
    }

    private static bool Read(JsonElement e, out string label, out double confidence, out double x1, out double y1,
        out double x2, out double y2)
    {
        x1 = y1 = x2 = y2 = confidence = 0;
        label = "";
        return e.ValueKind == JsonValueKind.Object && TryText(e, "label", out label) && TryNumber(e, "confidence", out confidence)
            && TryNumber(e, "x_min", out x1) && TryNumber(e, "y_min", out y1)
            && TryNumber(e, "x_max", out x2) && TryNumber(e, "y_max", out y2);
    }

    private static DetectedObject Make(string label, double confidence, double x1, double y1, double x2, double y2)
    {
        var l = Math.Clamp(Math.Min(x1, x2), 0, 1);
        var t = Math.Clamp(Math.Min(y1, y2), 0, 1);
        var r = Math.Clamp(Math.Max(x1, x2), 0, 1);
        var bottom = Math.Clamp(Math.Max(y1, y2), 0, 1);
        return new DetectedObject(label, (float)Math.Clamp(confidence, 0, 1),
            new NormalizedBox((float)l, (float)t, (float)(r - l), (float)(bottom - t)));
    }

    private static bool TryText(JsonElement e, string name, out string value)
    {
        value = "";
        if (!e.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.GetString()))
        {
            return false;
        }
        value = Clip(p.GetString()!.Trim());
        return true;
    }

    private static bool TryNumber(JsonElement e, string name, out double value)
    {
        value = 0;
        return e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out value)
            && double.IsFinite(value);
    }

    /// <summary>Labels and messages are cut to 63 characters (upstream's MAX_LABEL_LENGTH is 64 with the NUL).</summary>
    private static string Clip(string s) => s.Length <= PreviewLength ? s : s[..PreviewLength];

    /// <summary>The start of a reply, printable ASCII only (upstream replaces the rest with dots).</summary>
    internal static string Preview(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "(empty)";
        }
        var sb = new StringBuilder();
        foreach (var b in body[..Math.Min(body.Length, PreviewLength)])
        {
            sb.Append(b is >= 32 and <= 126 ? (char)b : '.');
        }
        return "'" + sb + (body.Length > PreviewLength ? "…'" : "'");
    }
}
