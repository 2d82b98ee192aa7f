using LightNvr.Api.Http;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightNvr.Api.Detection;

/// <summary>The validated body of <c>POST /api/motion/trigger</c>, with upstream's error messages.</summary>
public sealed record MotionTriggerRequest(string Stream, string Action, int DurationMs, IReadOnlyList<(string Label, float Confidence)> Labels,
    IReadOnlyList<string> Tags)
{
    /// <summary>Longest recording tag (upstream's 127 characters).</summary>
    public const int MaxTagLength = 127;

    /// <summary>How long the event is held open: <c>duration_ms</c> for a pulse, null (until <c>stop</c>) for a start.</summary>
    public TimeSpan? HoldFor => Action == "pulse" ? TimeSpan.FromMilliseconds(DurationMs) : null;

    public static (MotionTriggerRequest? Request, string? Error) Parse(JsonObject body)
    {
        if (Text(body["stream"]) is not { Length: > 0 } stream)
        {
            return (null, "Field 'stream' is required");
        }
        if (Text(body["action"]) is not { Length: > 0 } action)
        {
            return (null, "Field 'action' is required (start|stop|pulse)");
        }
        if (action is not ("start" or "stop" or "pulse"))
        {
            return (null, "Field 'action' must be one of: start, stop, pulse");
        }

        var duration = MotionTriggerEndpoints.DefaultDurationMs;
        if (action == "pulse" && body["duration_ms"] is { } d)
        {
            if (d.GetValueKind() != JsonValueKind.Number || !d.AsValue().TryGetValue(out long ms) || ms <= 0)
            {
                return (null, "Field 'duration_ms' must be a positive integer");
            }
            if (ms > MotionTriggerEndpoints.MaxDurationMs)
            {
                return (null, "Field 'duration_ms' must be between 1 and 600000");
            }
            duration = (int)ms;
        }

        var label = "motion";
        if (body["label"] is { } l)
        {
            if (Text(l) is not { Length: > 0 } text)
            {
                return (null, "Field 'label' must be a non-empty string");
            }
            label = Cut(text);
        }

        var confidence = 1.0f;
        if (body["confidence"] is { } c)
        {
            if (c.GetValueKind() != JsonValueKind.Number || !c.AsValue().TryGetValue(out double v) || v < 0 || v > 1)
            {
                return (null, "Field 'confidence' must be a number between 0 and 1");
            }
            confidence = (float)v;
        }

        var labels = new List<(string, float)>();
        if (body["objects"] is { } objects)
        {
            if (objects is not JsonArray array)
            {
                return (null, "Field 'objects' must be an array of strings or {\"label\",\"confidence\"} objects");
            }
            foreach (var item in array.Take(MotionTriggerEndpoints.MaxObjects))
            {
                if (Text(item) is { Length: > 0 } name)
                {
                    labels.Add((Cut(name), confidence));
                }
                else if (item is JsonObject o && Text(o["label"]) is { Length: > 0 } objectLabel)
                {
                    var oc = confidence;
                    if (o["confidence"] is { } ocNode && (ocNode.GetValueKind() != JsonValueKind.Number
                        || !ocNode.AsValue().TryGetValue(out double ov) || ov < 0 || ov > 1 || (oc = (float)ov) < 0))
                    {
                        return (null, "Field 'objects[].confidence' must be a number between 0 and 1");
                    }
                    labels.Add((Cut(objectLabel), oc));
                }
                else
                {
                    return (null, "Field 'objects' must be an array of strings or {\"label\",\"confidence\"} objects");
                }
            }
        }
        if (labels.Count == 0)
        {
            labels.Add((label, confidence));
        }

        var tags = new List<string>();
        if (body["tags"] is { } t)
        {
            if (t is not JsonArray tagArray || tagArray.Count > MotionTriggerEndpoints.MaxTags || tagArray.Any(x => Text(x) is null))
            {
                return (null, $"Field 'tags' must be an array of at most {MotionTriggerEndpoints.MaxTags} strings");
            }
            // As PUT /api/recordings/{id}/tags: empty ones are ignored, and a tag is at most 127 characters.
            tags.AddRange(tagArray.Select(x => Text(x)!.Trim()).Where(x => x.Length is > 0 and <= MaxTagLength).Distinct());
        }
        return (new MotionTriggerRequest(stream, action, duration, labels, tags), null);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Cut(string text) =>
        text.Length <= MotionTriggerEndpoints.MaxLabelLength ? text : text[..MotionTriggerEndpoints.MaxLabelLength];
}
