using System.Globalization;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Interop.Tests.Mp4;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>What every recorded segment must satisfy (issue 3, "Must show"), judged by ffmpeg and ffprobe.</summary>
internal static class RecordingChecks
{
    /// <summary>Stream start time and duration of each stream in the file, per ffprobe (seconds).</summary>
    public static List<(string Type, string Codec, double Start, double Duration)> Streams(string path)
    {
        var (code, json, err) = Ffmpeg.Run("ffprobe", "-v", "error", "-show_streams", "-of", "json", path);
        Assert.True(code == 0, "ffprobe failed: " + err);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("streams").EnumerateArray().Select(s => (
            s.GetProperty("codec_type").GetString()!,
            s.GetProperty("codec_name").GetString()!,
            Number(s, "start_time"),
            Number(s, "duration"))).ToList();
    }

    /// <summary>
    /// Each complete segment decodes with no error, has the expected video and audio codecs, and (except the last,
    /// which a stop may cut short) lasts segment_duration to segment_duration + one GOP. Consecutive rows meet: the
    /// next start equals the previous end (rows store whole seconds: within 1 s).
    /// </summary>
    public static void AssertSegments(IReadOnlyList<RecordingRecord> rows, int segmentSeconds, double gopSeconds,
        string videoCodec, string? audioCodec)
    {
        var complete = rows.Where(r => r.IsComplete).ToList();
        Assert.NotEmpty(complete);
        for (var i = 0; i < complete.Count; i++)
        {
            var row = complete[i];
            Assert.True(File.Exists(row.FilePath), row.FilePath);
            Assert.Equal("", Ffmpeg.DecodeErrors(row.FilePath));
            var streams = Streams(row.FilePath);
            Assert.Contains(streams, s => s.Type == "video" && s.Codec == videoCodec);
            if (audioCodec is not null)
            {
                Assert.Contains(streams, s => s.Type == "audio" && s.Codec == audioCodec);
            }
            else
            {
                Assert.DoesNotContain(streams, s => s.Type == "audio");
            }

            var duration = Ffmpeg.FormatDuration(row.FilePath);
            var isLast = i == complete.Count - 1;
            if (!isLast)
            {
                Assert.InRange(duration, segmentSeconds - 0.1, segmentSeconds + gopSeconds + 0.1);
                var next = complete[i + 1];
                Assert.InRange((next.StartTime - row.EndTime!.Value).TotalSeconds, -1, 1);
            }

            Assert.Equal(new FileInfo(row.FilePath).Length, row.SizeBytes);
            Assert.True(row.Width > 0 && row.Height > 0, "size filled");
        }
    }

    /// <summary>
    /// Media-time continuity: the video frames in all segments (ffprobe counts them) are exactly the frames the
    /// recorder took, with none dropped on the way, so a frame that ended one segment is the first of the next and
    /// nothing between them is missing or doubled; and each file's video starts at 0 and lasts frames / fps.
    /// </summary>
    public static void AssertNoFrameLost(RecordingHarness h, IReadOnlyList<RecordingRecord> rows)
    {
        var recorder = Assert.Single(h.Recorder.RecordersEverStarted);
        Assert.Equal(0, recorder.QueueStats!.Drops);
        var total = 0L;
        foreach (var row in rows)
        {
            var video = Ffmpeg.Probe(row.FilePath).First(s => s.Codec is "h264" or "hevc");
            total += video.Frames;
        }

        Assert.Equal(recorder.VideoFramesRecorded, total);
    }

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? double.Parse(v.GetString()!, CultureInfo.InvariantCulture)
            : double.NaN;
}
