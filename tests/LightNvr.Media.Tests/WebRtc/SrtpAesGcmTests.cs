using System.Security.Cryptography;
using LightNvr.Media.Rtp;
using LightNvr.Media.WebRtc;

namespace LightNvr.Media.Tests.WebRtc;

/// <summary>AEAD_AES_128_GCM SRTP/SRTCP against RFC 7714 §16.1.1 and §17.1, then round trips and tampering.</summary>
public sealed class SrtpAesGcmTests
{
    // RFC 7714 §16: the vectors give session keys directly (no key derivation step).
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] Salt = Convert.FromHexString("517569642070726f2071756f"); // "Quid pro quo"

    private const string Rtp = "8040f17b8041f8d35501a0b2" +
        "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";

    private const string Srtp = "8040f17b8041f8d35501a0b2" +
        "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833" +
        "899d7f27beb16a9152cf765ee4390cce";

    private const string Rtcp = "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61" +
        "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

    private const string Srtcp = "81c8000d4d617273" +
        "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa458" +
        "96cf4d2fc5abf87245d9eade" + "800005d4";

    private static SrtpContext Vectors() => SrtpContext.GcmFromSessionKeys(Key, Salt, Key, Salt);

    [Fact]
    public void Rtp_matches_RFC_7714_16_1_1()
    {
        using var sender = Vectors();
        var packet = Convert.FromHexString(Rtp);
        var output = new byte[packet.Length + sender.RtpOverhead];
        Assert.Equal(output.Length, sender.ProtectRtp(packet, output));
        Assert.Equal(Srtp, Convert.ToHexString(output), ignoreCase: true);

        using var receiver = Vectors();
        var plain = new byte[output.Length];
        Assert.Equal(packet.Length, receiver.UnprotectRtp(output, 0, plain));
        Assert.Equal(Rtp, Convert.ToHexString(plain, 0, packet.Length), ignoreCase: true);
    }

    [Fact]
    public void Rtcp_matches_RFC_7714_17_1()
    {
        using var sender = Vectors();
        sender.NextSrtcpIndex = 0x5d4;
        var packet = Convert.FromHexString(Rtcp);
        var output = new byte[packet.Length + sender.RtcpOverhead];
        Assert.Equal(output.Length, sender.ProtectRtcp(packet, output));
        Assert.Equal(Srtcp, Convert.ToHexString(output), ignoreCase: true);

        using var receiver = Vectors();
        var plain = new byte[output.Length];
        Assert.Equal(packet.Length, receiver.UnprotectRtcp(output, plain));
        Assert.Equal(Rtcp, Convert.ToHexString(plain, 0, packet.Length), ignoreCase: true);
    }

    [Fact]
    public void Any_flipped_bit_fails_the_tag()
    {
        using var receiver = Vectors();
        var srtp = Convert.FromHexString(Srtp);
        var srtcp = Convert.FromHexString(Srtcp);
        var plain = new byte[128];
        foreach (var at in new[] { 1, 11, 12, 40, srtp.Length - 1 })
        {
            var bad = (byte[])srtp.Clone();
            bad[at] ^= 0x01;
            Assert.Equal(-1, receiver.UnprotectRtp(bad, 0, plain));
        }

        Assert.Equal(-1, receiver.UnprotectRtp(srtp, 1, plain)); // the rollover counter is in the IV
        foreach (var at in new[] { 5, 20, srtcp.Length - 5, srtcp.Length - 1 })
        {
            var bad = (byte[])srtcp.Clone();
            bad[at] ^= 0x01; // the header, the ciphertext, the tag and the index are all authenticated
            Assert.Equal(-1, receiver.UnprotectRtcp(bad, plain));
        }
    }

    [Fact]
    public void Derived_contexts_round_trip_with_rollover_and_header_extension()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(12);
        using var sender = new SrtpContext(SrtpProfile.AeadAes128Gcm, key, salt);
        using var receiver = new SrtpContext(SrtpProfile.AeadAes128Gcm, key, salt);
        using var other = new SrtpContext(SrtpProfile.AeadAes128Gcm, key, RandomNumberGenerator.GetBytes(12));

        // One-byte header extension (RFC 8285): 4-byte header + one word, left in the clear and authenticated.
        var packet = new byte[12 + 8 + 100];
        RtpPacket.WriteHeader(packet, true, 96, 65535, 1234, 0xCAFEBABE);
        packet[0] |= 0x10;
        packet[12] = 0xBE;
        packet[13] = 0xDE;
        packet[15] = 1;
        packet[16] = 0x10;
        packet[17] = 0x42;
        RandomNumberGenerator.Fill(packet.AsSpan(20));
        var srtp = new byte[packet.Length + SrtpContext.MaxRtpOverhead];
        Assert.Equal(packet.Length + 16, sender.ProtectRtp(packet, srtp));
        Assert.Equal(packet.AsSpan(0, 20).ToArray(), srtp.AsSpan(0, 20).ToArray());
        Assert.NotEqual(packet.AsSpan(20).ToArray(), srtp.AsSpan(20, 100).ToArray());
        var plain = new byte[srtp.Length];
        Assert.Equal(packet.Length, receiver.UnprotectRtp(srtp, 0, plain));
        Assert.Equal(packet, plain.AsSpan(0, packet.Length).ToArray());
        Assert.Equal(-1, other.UnprotectRtp(srtp, 0, plain)); // another master salt derives other keys

        RtpPacket.WriteHeader(packet, true, 96, 0, 1234, 0xCAFEBABE); // 65535 → 0: ROC 1
        sender.ProtectRtp(packet, srtp);
        Assert.Equal(-1, receiver.UnprotectRtp(srtp, 0, plain));
        Assert.Equal(packet.Length, receiver.UnprotectRtp(srtp, 1, plain));

        var rtcp = new byte[16];
        var length = RtcpFeedback.WriteNack(rtcp, 1, 2, 100, 0b101);
        var srtcp = new byte[64];
        var n = sender.ProtectRtcp(rtcp.AsSpan(0, length), srtcp);
        Assert.Equal(length + 16 + SrtpContext.SrtcpIndexLength, n);
        Assert.Equal(0x80, srtcp[n - 4]); // E flag, index 0, after the tag
        Assert.Equal(length, receiver.UnprotectRtcp(srtcp.AsSpan(0, n), plain));
        Assert.Equal(rtcp.AsSpan(0, length).ToArray(), plain.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Server_pair_splits_56_bytes_of_keying_material()
    {
        var keys = RandomNumberGenerator.GetBytes(SrtpContext.KeyingMaterialLength(SrtpProfile.AeadAes128Gcm));
        Assert.Equal(56, keys.Length);
        Assert.Equal(60, SrtpContext.KeyingMaterialLength(SrtpProfile.AesCm128HmacSha1_80));
        var (receive, send) = SrtpContext.ForServer(SrtpProfile.AeadAes128Gcm, keys);
        using var clientSend = new SrtpContext(SrtpProfile.AeadAes128Gcm, keys.AsSpan(0, 16), keys.AsSpan(32, 12));
        using var clientReceive = new SrtpContext(SrtpProfile.AeadAes128Gcm, keys.AsSpan(16, 16), keys.AsSpan(44, 12));
        using (receive)
        using (send)
        {
            var packet = new byte[40];
            RtpPacket.WriteHeader(packet, false, 0, 7, 160, 0x11223344);
            var wire = new byte[64];
            var plain = new byte[64];
            var n = send.ProtectRtp(packet, wire);
            Assert.Equal(packet.Length, clientReceive.UnprotectRtp(wire.AsSpan(0, n), 0, plain));
            n = clientSend.ProtectRtp(packet, wire);
            Assert.Equal(packet.Length, receive.UnprotectRtp(wire.AsSpan(0, n), 0, plain));
        }

        Assert.Throws<ArgumentException>(() => SrtpContext.ForServer(SrtpProfile.AesCm128HmacSha1_80, keys));
    }
}
