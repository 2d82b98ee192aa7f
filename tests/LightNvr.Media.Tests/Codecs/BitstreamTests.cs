using LightNvr.Media.Codecs;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Codecs.H265;
using LightNvr.Media.Tests.Rtp;

namespace LightNvr.Media.Tests.Codecs;

/// <summary>Exp-Golomb reading (H.264 §9.1), emulation prevention (§7.4.1) and parameter-set parsers under mutation.</summary>
public sealed class BitstreamTests
{
    [Theory]
    // H.264 Table 9-2: bit strings and codeNum; se(v) mapping of Table 9-3.
    [InlineData("80", 0u, 0)]
    [InlineData("40", 1u, 1)]
    [InlineData("60", 2u, -1)]
    [InlineData("20", 3u, 2)]
    [InlineData("28", 4u, -2)]
    [InlineData("38", 6u, -3)]
    [InlineData("10", 7u, 4)]
    [InlineData("0001ffff", 65534u, -32767)]
    public void Exp_golomb(string hex, uint ue, int se)
    {
        var bytes = Convert.FromHexString(hex);
        var r = new BitReader(bytes);
        Assert.Equal(ue, r.ReadUe());
        Assert.False(r.Overrun);
        r = new BitReader(bytes);
        Assert.Equal(se, r.ReadSe());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0000000000")] // more than 31 leading zeros
    public void Exp_golomb_past_the_end_sets_overrun(string hex)
    {
        var r = new BitReader(Convert.FromHexString(hex));
        r.ReadUe();
        Assert.True(r.Overrun);
    }

    [Theory]
    [InlineData("000003", "0000")]
    [InlineData("00000301", "000001")]
    [InlineData("0000030000030003", "000000000003")]
    [InlineData("6742", "6742")]
    [InlineData("00000300", "000000")]
    public void Emulation_prevention_is_removed_and_reinserted(string escaped, string rbsp)
    {
        var input = Convert.FromHexString(escaped);
        var output = new byte[input.Length];
        var n = EmulationPrevention.Remove(input, output);
        Assert.Equal(rbsp, Convert.ToHexString(output, 0, n).ToLowerInvariant());

        var raw = Convert.FromHexString(rbsp);
        if (raw.Length > 0 && raw[^1] != 0)
        {
            // Insertion is exact for RBSPs that do not end in zero bytes (a trailing 0x03 is the encoder's choice).
            var back = new byte[EmulationPrevention.GetEscapedSize(raw)];
            EmulationPrevention.Insert(raw, back);
            Assert.Equal(escaped, Convert.ToHexString(back).ToLowerInvariant());
        }
    }

    [Fact]
    public void Mutated_parameter_sets_parse_or_fail_cleanly()
    {
        var random = new Random(7798);
        string[] h264 = ["Z0IAMukAUAHjQgAAB9IAAOqcCAA=", "R00AKZmgHgCJ+WEAAAMD6AAATiCE", "Z01ADeygoP2AtQYGBqUAAAMAAQAAAwAyjxQplg=="];
        string[] h265 = ["QgEBBAgAAAMAmAgAAAMAADyQAUEB4ilLdJSYX/4AAgAC1BgYGBAAAAMAEAAAAwGQgA==", "QAEMAf//BAgAAAMAmAgAAAMAADy6AkA="];
        int ok = 0, failed = 0;
        for (var i = 0; i < 20000; i++)
        {
            var h264Sps = Mutator.Mutate(random, Convert.FromBase64String(h264[random.Next(h264.Length)]));
            if (H264SequenceParameterSet.TryParse(h264Sps, out var a))
            {
                ok++;
                Assert.True(a.Width > 0 && a.Height > 0 && a.ReorderDepth <= 16);
            }
            else
            {
                failed++;
            }

            var h265Ps = Mutator.Mutate(random, Convert.FromBase64String(h265[random.Next(h265.Length)]));
            if (H265SequenceParameterSet.TryParse(h265Ps, out var b))
            {
                Assert.True(b.Width > 0 && b.Height > 0 && b.MaxNumReorderPics <= 16);
            }

            H265VideoParameterSet.TryParse(h265Ps, out _);
        }

        Assert.True(ok > 0 && failed > 0);
    }
}
