using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>
/// Init segments: computed size equals written size for every codec, our reader reads back what was written, and the
/// H.264+AAC one equals the golden file TestData/init_h264_aac.hex (which the interop tests hand to ffprobe).
/// </summary>
public sealed class InitSegmentTests
{
    public static TheoryData<string> Combinations => new() { "h264", "h264+aac", "h265+aac", "h265+pcmu", "h264+pcma", "h264+opus" };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Size_is_known_before_writing_and_reads_back(string combination)
    {
        var tracks = Tracks(combination);
        var bytes = Fmp4InitSegment.Create(tracks); // throws when GetSize and WriteTo disagree
        using var ms = new MemoryStream(bytes);
        var index = Fmp4Reader.Read(ms);
        Assert.Null(index.Problem);
        Assert.Equal(bytes.Length, index.InitSegmentEnd);
        Assert.Equal(tracks.Count, index.Tracks.Count);
        for (var i = 0; i < tracks.Count; i++)
        {
            var (a, b) = (tracks[i], index.Tracks[i].Track);
            Assert.Equal((i, a.Codec, a.ClockRate, a.Width, a.Height, a.SampleRate, a.Channels),
                (b.Id, b.Codec, b.ClockRate, b.Width, b.Height, b.SampleRate, b.Channels));
            Assert.Equal(a.Vps, b.Vps);
            Assert.Equal(a.Sps, b.Sps);
            Assert.Equal(a.Pps, b.Pps);
            Assert.Equal(a.AudioSpecificConfig, b.AudioSpecificConfig);
            Assert.Equal((uint)i + 1, index.Tracks[i].TrackId);
        }
    }

    [Fact]
    public void H264_aac_init_segment_matches_golden_file()
    {
        var bytes = Fmp4InitSegment.Create(Tracks("h264+aac"));
        var path = GoldenPath("init_h264_aac.hex");
        var hex = TestVectors.Hex(bytes);
        if (Environment.GetEnvironmentVariable("LIGHTNVR_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, string.Join('\n', hex.Chunk(128).Select(c => new string(c))) + "\n");
        }

        Assert.Equal(File.ReadAllText(path).Replace("\n", "", StringComparison.Ordinal), hex);
    }

    /// <summary>Golden files live in the source tree (found from the test binary upwards), not in the build output.</summary>
    internal static string GoldenPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "LightNvr.Media.Tests", "Mp4", "TestData", name);
            if (File.Exists(Path.Combine(dir.FullName, "LightNvr.slnx")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Repository root not found");
    }

    internal static List<MediaTrack> Tracks(string combination)
    {
        var list = new List<MediaTrack>();
        foreach (var name in combination.Split('+'))
        {
            var t = name switch
            {
                "h264" => TestVectors.H264,
                "h265" => TestVectors.H265,
                "aac" => TestVectors.Aac,
                "pcmu" => TestVectors.Pcmu,
                "opus" => TestVectors.Opus,
                _ => TestVectors.Pcma,
            };
            list.Add(t with { Id = list.Count });
        }

        return list;
    }
}
