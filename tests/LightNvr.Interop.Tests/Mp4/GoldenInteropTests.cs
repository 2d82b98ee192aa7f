using System.Diagnostics;
using System.Text.Json;
using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Mp4.Export;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Testing;
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
        using var dir = new TempFolder("mp4");
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
        using var dir = new TempFolder("mp4");
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

    /// <summary>Logs how long indexing and planning an export of a 15-minute segment (25 fps + AAC, 1 s fragments) take.</summary>
    [Fact]
    public void Indexing_a_fifteen_minute_segment_is_logged()
    {
        using var dir = new TempFolder("mp4");
        var video = new LightNvr.Media.MediaTrack
        {
            Id = 0, Codec = LightNvr.Media.MediaCodec.H264, ClockRate = 90000, Width = 320, Height = 240,
            Sps = Convert.FromHexString("6764000cacd94141fb0110000003001000000301e0f1429960"),
            Pps = Convert.FromHexString("68ebe3cb22c0"),
        };
        var audio = new LightNvr.Media.MediaTrack
        {
            Id = 1, Codec = LightNvr.Media.MediaCodec.Aac, ClockRate = 48000, SampleRate = 48000, Channels = 2,
            AudioSpecificConfig = [0x11, 0x90],
        };
        var path = dir.File("long.mp4");
        var payload = new byte[64];
        payload[3] = 60;
        payload[4] = 0x65;
        using (var file = File.Create(path))
        using (var muxer = new Fmp4Muxer([video, audio]))
        {
            file.Write(muxer.InitSegment.Span);
            var policy = new Fmp4FragmentPolicy();
            long v = 0, a = 0;
            while (v < 900L * 90000)
            {
                if (v * 48000 <= a * 90000)
                {
                    muxer.AddFrame(new LightNvr.Media.MediaFrame(video, v, 0, v % (90000 * 2) == 0, payload, v / 90));
                    v += 3600;
                }
                else
                {
                    muxer.AddFrame(new LightNvr.Media.MediaFrame(audio, a, 0, true, payload.AsMemory(0, 8), a / 48));
                    a += 1024;
                }

                if (policy.ShouldFlush(muxer))
                {
                    muxer.FlushFragment(file);
                }
            }

            muxer.FlushFragment(file, final: true);
        }

        var sw = Stopwatch.StartNew();
        var index = Fmp4Reader.Read(path);
        var readMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var plan = Mp4RangeExporter.Plan([new Mp4ExportSource(path, 0)], 100_000, 700_000);
        var planMs = sw.Elapsed.TotalMilliseconds;
        output.WriteLine($"15 min segment: {index.Fragments.Count} fragments, {index.Tracks[0].Samples.Count} + "
            + $"{index.Tracks[1].Samples.Count} samples, {new FileInfo(path).Length / 1e6:F1} MB; index {readMs:F0} ms; "
            + $"10 min export plan {planMs:F0} ms ({plan.Parts.Count} parts, {plan.Length / 1e6:F1} MB)");
        Assert.Equal(900 * 25, index.Tracks[0].Samples.Count);
    }
}
