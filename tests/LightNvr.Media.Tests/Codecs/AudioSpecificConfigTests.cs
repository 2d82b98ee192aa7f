using LightNvr.Media.Codecs.Aac;
using LightNvr.Media.Tests.Rtp;

namespace LightNvr.Media.Tests.Codecs;

/// <summary>ISO/IEC 14496-3 §1.6.2.1 AudioSpecificConfig: one case table for parse, byte-exact write and mutation.</summary>
public sealed class AudioSpecificConfigTests
{
    public sealed record Case(string Name, string Hex, int ObjectType, int SampleRate, int Channels, int FrameLength,
        bool Writable);

    private static readonly Case[] All =
    [
        // config=1408 from the GStreamer camera's SDP (voaacenc, gst_h264_bframes_aac.sdp).
        new("AAC-LC 16 kHz mono (GStreamer camera)", "1408", 2, 16000, 1, 1024, true),
        new("AAC-LC 44.1 kHz stereo", "1210", 2, 44100, 2, 1024, true),
        new("AAC-LC 48 kHz stereo", "1190", 2, 48000, 2, 1024, true),
        new("AAC-LC 8 kHz mono", "1588", 2, 8000, 1, 1024, true),
        new("AAC-LC 48 kHz stereo, 960-sample frames", "1194", 2, 48000, 2, 960, true),
        new("explicit 24-bit rate 22000 Hz", "17802af808", 2, 22000, 1, 1024, true),
        // Explicit SBR: object 5, core 24 kHz, extension 48 kHz, then core object 2 (HE-AAC v1).
        new("HE-AAC explicit SBR", "2b1188", 2, 24000, 2, 1024, false),
    ];

    public static TheoryData<Case> Cases => new(All);

    public static TheoryData<Case> WritableCases => new(All.Where(c => c.Writable));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses(Case c)
    {
        Assert.True(AudioSpecificConfig.TryParse(Convert.FromHexString(c.Hex), out var asc));
        Assert.Equal((c.ObjectType, c.SampleRate, c.Channels, c.FrameLength),
            (asc.ObjectType, asc.SampleRate, asc.Channels, asc.FrameLength));
    }

    [Theory]
    [MemberData(nameof(WritableCases))]
    public void Writes_byte_exact(Case c)
    {
        Assert.True(AudioSpecificConfig.TryParse(Convert.FromHexString(c.Hex), out var asc));
        Assert.Equal(c.Hex.Length / 2, asc.GetSize());
        Assert.Equal(c.Hex, Convert.ToHexString(asc.ToArray()).ToLowerInvariant());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")] // truncated
    [InlineData("0008")] // object type 0
    [InlineData("16")] // reserved sampling index 13, truncated
    [InlineData("1e88")] // sampling index 13 (reserved)
    public void Rejects(string hex) => Assert.False(AudioSpecificConfig.TryParse(Convert.FromHexString(hex), out _));

    [Fact]
    public void Mutations_never_throw()
    {
        var random = new Random(14496);
        var accepted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var bytes = Mutator.Mutate(random, Convert.FromHexString(All[random.Next(All.Length)].Hex));
            if (AudioSpecificConfig.TryParse(bytes, out var asc))
            {
                accepted++;
                Assert.True(asc.SampleRate > 0 && asc.ObjectType > 0);
            }
        }

        Assert.InRange(accepted, 1, 19999);
    }
}
