using LightNvr.Media.Rtp;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>One named case table drives parsing, byte-exact writing (where the writer covers the case) and mutation.</summary>
public sealed class RtpPacketTests
{
    public sealed record Case(string Name, string Hex, bool Valid, bool Marker = false, int PayloadType = 0,
        int Sequence = 0, uint Timestamp = 0, uint Ssrc = 0, string PayloadHex = "", int Csrcs = 0,
        bool Extension = false, bool Writable = false);

    private static readonly Case[] All =
    [
        // First video packet of gst_h264_bframes_aac.rtp (rtph264pay): an access unit delimiter.
        new("gstreamer h264 aud", "8060696e2772505f9eecfe230910", true, false, 96, 0x696e, 0x2772505f, 0x9eecfe23, "0910", Writable: true),
        new("marker and pt 0", "80801234000000010000000255", true, true, 0, 0x1234, 1, 2, "55", Writable: true),
        new("empty payload", "806000010000000000000000", true, false, 96, 1, 0, 0, "", Writable: true),
        new("two csrcs", "82600001000000000000000011111111222222224142", true, false, 96, 1, 0, 0, "4142", Csrcs: 2),
        new("one-byte header extension", "906000010000000000000000" + "bede0001" + "10000000" + "ff", true, false, 96, 1, 0, 0, "ff", Extension: true),
        new("padding 3", "a06000010000000000000000ab000003", true, false, 96, 1, 0, 0, "ab"),
        new("padding of the whole payload", "a0600001000000000000000000000003", true, false, 96, 1, 0, 0, "00"),
        new("short header", "8060000100000000000000", false),
        new("version 1", "406000010000000000000000ff", false),
        new("csrc list past end", "8f6000010000000000000000ff", false),
        new("extension past end", "906000010000000000000000bede0005", false),
        new("zero padding count", "a06000010000000000000000ab00", false),
        new("padding past header", "a060000100000000000000000d", false),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses(Case c)
    {
        var bytes = Convert.FromHexString(c.Hex);
        Assert.Equal(c.Valid, RtpPacket.TryParse(bytes, out var p));
        if (!c.Valid)
        {
            return;
        }

        Assert.Equal(c.Marker, p.Marker);
        Assert.Equal(c.PayloadType, p.PayloadType);
        Assert.Equal(c.Sequence, p.SequenceNumber);
        Assert.Equal(c.Timestamp, p.Timestamp);
        Assert.Equal(c.Ssrc, p.Ssrc);
        Assert.Equal(c.Csrcs, p.CsrcCount);
        Assert.Equal(c.Extension, p.HasExtension);
        Assert.Equal(c.PayloadHex, Convert.ToHexString(p.Payload).ToLowerInvariant());
    }

    public static TheoryData<Case> Cases => new(All);

    public static TheoryData<Case> WritableCases => new(All.Where(c => c.Writable));

    [Theory]
    [MemberData(nameof(WritableCases))]
    public void Writes_byte_exact(Case c)
    {
        var payload = Convert.FromHexString(c.PayloadHex);
        var buffer = new byte[RtpPacket.FixedHeaderSize + payload.Length];
        RtpPacket.WriteHeader(buffer, c.Marker, (byte)c.PayloadType, (ushort)c.Sequence, c.Timestamp, c.Ssrc);
        payload.CopyTo(buffer, RtpPacket.FixedHeaderSize);
        Assert.Equal(c.Hex, Convert.ToHexString(buffer).ToLowerInvariant());
    }

    [Fact]
    public void Every_prefix_of_a_valid_packet_parses_or_fails_cleanly()
    {
        foreach (var c in All.Where(c => c.Valid))
        {
            var bytes = Convert.FromHexString(c.Hex);
            for (var n = 0; n < bytes.Length; n++)
            {
                if (RtpPacket.TryParse(bytes.AsSpan(0, n), out var p))
                {
                    Assert.True(p.Payload.Length <= n);
                }
            }
        }
    }

    [Fact]
    public void Mutations_of_the_cases_never_throw_and_never_overrun()
    {
        var random = new Random(3550);
        var cases = All.Select(c => Convert.FromHexString(c.Hex)).ToArray();
        var parsed = 0;
        for (var i = 0; i < 20000; i++)
        {
            var bytes = Mutator.Mutate(random, cases[random.Next(cases.Length)]);
            if (RtpPacket.TryParse(bytes, out var p))
            {
                parsed++;
                Assert.InRange(p.Payload.Length, 0, bytes.Length - RtpPacket.FixedHeaderSize);
            }
        }

        Assert.InRange(parsed, 1, 19999); // the mutator produced both kinds
    }
}
