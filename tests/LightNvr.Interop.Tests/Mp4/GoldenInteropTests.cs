using System.Diagnostics;
using System.Text.Json;
using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Mp4;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>The golden init segment of the unit tests, re-checked by an independent parser (ffprobe).</summary>
public sealed class GoldenInteropTests(ITestOutputHelper output)
{
    [Fact]
    public void Golden_h264_aac_init_segment_is_what_ffprobe_expects()
    {
        var hex = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "LightNvr.Media.Tests", "Mp4", "TestData",
            "init_h264_aac.hex")).Replace("\n", "", StringComparison.Ordinal);
        using var dir = new TempDir();
        var path = dir.File("init.mp4");
        File.WriteAllBytes(path, Convert.FromHexString(hex));
        var (code, json, err) = Ffmpeg.Run("ffprobe", "-v", "error", "-show_streams", "-of", "json", path);
        Assert.True(code == 0 && err.Length == 0, err);
        using var doc = JsonDocument.Parse(json);
        var streams = doc.RootElement.GetProperty("streams");
        var v = streams[0];
        // Without samples ffprobe cannot know the profile; it reports what the sample entry and avcC say.
        Assert.Equal(("h264", "avc1", 320, 240, 42, "4"), (v.GetProperty("codec_name").GetString(),
            v.GetProperty("codec_tag_string").GetString(), v.GetProperty("width").GetInt32(),
            v.GetProperty("height").GetInt32(), v.GetProperty("extradata_size").GetInt32(),
            v.GetProperty("nal_length_size").GetString()));
        var a = streams[1];
        Assert.Equal(("aac", "mp4a", "48000", 2, 2), (a.GetProperty("codec_name").GetString(),
            a.GetProperty("codec_tag_string").GetString(), a.GetProperty("sample_rate").GetString(),
            a.GetProperty("channels").GetInt32(), a.GetProperty("extradata_size").GetInt32()));
    }

    /// <summary>Not a timed assertion (benchmarks live in bench/): logs muxing throughput on real frames for the docs.</summary>
    [Fact]
    public void Muxing_throughput_is_logged()
    {
        using var dir = new TempDir();
        var source = SourceMedia.Encode(dir, "src.mp4", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p", "aac", seconds: 10);
        var frames = SourceMedia.Frames(source, out var tracks);
        var policy = new Fmp4FragmentPolicy();
        long bytes = 0;
        var rounds = 0;
        var sw = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (sw.ElapsedMilliseconds < 2000)
        {
            using var muxer = new Fmp4Muxer(tracks);
            foreach (var f in frames)
            {
                muxer.AddFrame(f);
                if (policy.ShouldFlush(muxer))
                {
                    bytes += muxer.FlushFragment(Stream.Null);
                }
            }

            bytes += muxer.FlushFragment(Stream.Null, final: true);
            rounds++;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var seconds = sw.Elapsed.TotalSeconds;
        output.WriteLine($"{rounds * frames.Count / seconds:F0} frames/s, {bytes / seconds / 1e6:F1} MB/s, "
            + $"{allocated / (double)(rounds * frames.Count):F0} B allocated per frame ({frames.Count} frames a round)");
        Assert.True(bytes > 0);
    }
}
