using System.Security.Cryptography;
using LightNvr.Media.Rtp;
using LightNvr.Media.WebRtc;

namespace LightNvr.Media.Tests.WebRtc;

/// <summary>SRTP against RFC 3711 Appendix B (AES-CM keystream B.2, key derivation B.3), then round trips and tampering.</summary>
public sealed class SrtpContextTests
{
    [Fact]
    public void Keystream_matches_RFC_3711_B2()
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var stream = new byte[48];
        SrtpContext.Keystream(aes, iv, stream);
        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0",
            Convert.ToHexString(stream));

        var tail = new byte[48];
        var late = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF");
        SrtpContext.Keystream(aes, late, tail);
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44",
            Convert.ToHexString(tail));
    }

    [Fact]
    public void Session_keys_match_RFC_3711_B3()
    {
        using var context = new SrtpContext(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"),
            Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6"));
        var (key, salt, auth) = context.RtpSessionKeys;
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(key));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(salt));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(auth));
    }

    [Fact]
    public void Rtp_round_trips_and_a_flipped_bit_fails_the_tag()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(14);
        using var sender = new SrtpContext(key, salt);
        using var receiver = new SrtpContext(key, salt);
        var packet = new byte[12 + 100];
        RtpPacket.WriteHeader(packet, true, 96, 65535, 1234, 0xCAFEBABE);
        RandomNumberGenerator.Fill(packet.AsSpan(12));
        var srtp = new byte[packet.Length + SrtpContext.AuthTagLength];
        Assert.Equal(srtp.Length, sender.ProtectRtp(packet, srtp));
        Assert.Equal(packet.AsSpan(0, 12).ToArray(), srtp.AsSpan(0, 12).ToArray()); // header in the clear
        Assert.NotEqual(packet.AsSpan(12).ToArray(), srtp.AsSpan(12, 100).ToArray());
        var plain = new byte[srtp.Length];
        Assert.Equal(packet.Length, receiver.UnprotectRtp(srtp, 0, plain));
        Assert.Equal(packet, plain.AsSpan(0, packet.Length).ToArray());

        // Sequence 65535 → 0: the rollover counter becomes 1 and enters the keystream and the tag.
        RtpPacket.WriteHeader(packet, true, 96, 0, 1234, 0xCAFEBABE);
        sender.ProtectRtp(packet, srtp);
        Assert.Equal(-1, receiver.UnprotectRtp(srtp, 0, plain));
        Assert.Equal(packet.Length, receiver.UnprotectRtp(srtp, 1, plain));

        srtp[20] ^= 1;
        Assert.Equal(-1, receiver.UnprotectRtp(srtp, 1, plain));
    }

    [Fact]
    public void Rtcp_round_trips_with_the_E_flag_and_index()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(14);
        using var sender = new SrtpContext(key, salt);
        using var receiver = new SrtpContext(key, salt);
        var rtcp = new byte[16];
        var length = RtcpFeedback.WriteNack(rtcp, 1, 2, 100, 0b101);
        var srtcp = new byte[64];
        var n = sender.ProtectRtcp(rtcp.AsSpan(0, length), srtcp);
        Assert.Equal(length + SrtpContext.SrtcpIndexLength + SrtpContext.AuthTagLength, n);
        Assert.Equal(0x80, srtcp[length]); // E flag, index 0
        var plain = new byte[64];
        Assert.Equal(length, receiver.UnprotectRtcp(srtcp.AsSpan(0, n), plain));
        Assert.Equal(rtcp, plain.AsSpan(0, length).ToArray());
        srtcp[9] ^= 0x40;
        Assert.Equal(-1, receiver.UnprotectRtcp(srtcp.AsSpan(0, n), plain));

        var lost = new List<ushort>();
        RtcpFeedback.Parse(rtcp, (_, seq) => lost.Add(seq), _ => { });
        Assert.Equal(new ushort[] { 100, 101, 103 }, lost);
    }
}
