using System.Globalization;
using System.Text;
using System.Text.Json;
using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// One row write the database refused during an outage (<see cref="PendingRows"/>): either a whole closed segment's
/// row (<see cref="RowId"/> null: insert it complete) or the completion of a row inserted before the outage began.
/// One JSON object per journal line; times in unix milliseconds.
/// </summary>
public sealed record PendingRow
{
    /// <summary>The row to complete; null = insert <see cref="Recording"/> as a new, complete row.</summary>
    public long? RowId { get; init; }

    /// <summary>The row as it should end up: start, end, size, video, trigger, node and lease epoch.</summary>
    public required RecordingRecord Recording { get; init; }

    public string ToJsonLine()
    {
        var r = Recording;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (RowId is { } id)
            {
                json.WriteNumber("id", id);
            }
            json.WriteString("stream", r.StreamName);
            json.WriteString("file", r.FilePath);
            json.WriteNumber("start_ms", r.StartTime.ToUnixTimeMilliseconds());
            json.WriteNumber("end_ms", (r.EndTime ?? r.StartTime).ToUnixTimeMilliseconds());
            json.WriteNumber("size", r.SizeBytes);
            json.WriteNumber("width", r.Width);
            json.WriteNumber("height", r.Height);
            json.WriteNumber("fps", r.Fps);
            json.WriteString("codec", r.Codec);
            json.WriteString("trigger", r.TriggerType);
            json.WriteString("node", r.NodeId);
            if (r.LeaseEpoch is { } epoch)
            {
                json.WriteNumber("epoch", epoch);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads one journal line; null when it is not a whole entry (a torn write, or garbage).</summary>
    public static PendingRow? Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return new PendingRow
            {
                RowId = o.TryGetProperty("id", out var id) ? id.GetInt64() : null,
                Recording = new RecordingRecord
                {
                    StreamName = o.GetProperty("stream").GetString()!,
                    FilePath = o.GetProperty("file").GetString()!,
                    StartTime = DateTimeOffset.FromUnixTimeMilliseconds(o.GetProperty("start_ms").GetInt64()),
                    EndTime = DateTimeOffset.FromUnixTimeMilliseconds(o.GetProperty("end_ms").GetInt64()),
                    SizeBytes = o.GetProperty("size").GetInt64(),
                    Width = o.GetProperty("width").GetInt32(),
                    Height = o.GetProperty("height").GetInt32(),
                    Fps = o.GetProperty("fps").GetInt32(),
                    Codec = o.GetProperty("codec").GetString()!,
                    TriggerType = o.GetProperty("trigger").GetString()!,
                    NodeId = o.GetProperty("node").GetString()!,
                    LeaseEpoch = o.TryGetProperty("epoch", out var epoch) ? epoch.GetInt64() : null,
                    IsComplete = true,
                },
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Recording.StreamName} {Recording.FilePath} (row {RowId?.ToString(CultureInfo.InvariantCulture) ?? "new"})");
}
