using System.Buffers.Binary;
using System.Security.Cryptography;
using LightNvr.Media.Rtp;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// One direction of SRTP/SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 profile (RFC 3711 §8.2, RFC 5764 §4.1.2
/// SRTP_AES128_CM_HMAC_SHA1_80): session keys derived from the master key and salt (§4.3.1, key derivation rate 0),
/// AES in counter mode (§4.1.1), HMAC-SHA1 tags truncated to 80 bits (§4.2.1). Not thread-safe: one sender or
/// receiver owns it. Replay protection on receive is not kept (only RTCP is received, and it is only advisory).
/// </summary>
public sealed class SrtpContext : IDisposable
{
    public const int MasterKeyLength = 16;
    public const int MasterSaltLength = 14;

    /// <summary>HMAC-SHA1 truncated to 80 bits (RFC 3711 §5.2).</summary>
    public const int AuthTagLength = 10;

    /// <summary>The SRTCP trailer: E flag + 31-bit index (RFC 3711 §3.4).</summary>
    public const int SrtcpIndexLength = 4;

    private const int SessionAuthKeyLength = 20;

    private readonly Aes _rtpCipher;
    private readonly Aes _rtcpCipher;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly byte[] _rtpAuthKey;
    private readonly byte[] _rtcpAuthKey;
    private readonly Dictionary<uint, (uint Roc, ushort LastSeq)> _rollover = [];
    private uint _srtcpIndex;

    public SrtpContext(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length != MasterKeyLength || masterSalt.Length != MasterSaltLength)
        {
            throw new ArgumentException("AES_CM_128 needs a 16-byte master key and a 14-byte master salt");
        }

        using var master = Aes.Create();
        master.Key = masterKey.ToArray();
        _rtpCipher = CreateCipher(Derive(master, masterSalt, 0, MasterKeyLength));
        _rtpAuthKey = Derive(master, masterSalt, 1, SessionAuthKeyLength);
        _rtpSalt = Derive(master, masterSalt, 2, MasterSaltLength);
        _rtcpCipher = CreateCipher(Derive(master, masterSalt, 3, MasterKeyLength));
        _rtcpAuthKey = Derive(master, masterSalt, 4, SessionAuthKeyLength);
        _rtcpSalt = Derive(master, masterSalt, 5, MasterSaltLength);
    }

    /// <summary>The RTP session keys, for tests against RFC 3711 Appendix B.3.</summary>
    internal (byte[] CipherKey, byte[] CipherSalt, byte[] AuthKey) RtpSessionKeys => (_rtpCipher.Key, _rtpSalt, _rtpAuthKey);

    /// <summary>
    /// RFC 3711 §4.3.1 with kdr = 0: x = (label || r=0) XOR master salt, session key = AES-CM keystream with
    /// IV = x·2^16 under the master key.
    /// </summary>
    internal static byte[] Derive(Aes master, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        Span<byte> iv = stackalloc byte[16];
        masterSalt.CopyTo(iv);
        iv[7] ^= label; // key_id = label (8 bits) || r (48 bits), aligned to the salt's right end
        var output = new byte[length];
        Keystream(master, iv, output);
        return output;
    }

    /// <summary>RFC 3711 §4.1.1: AES(key, IV + i) for i = 0, 1, … XORed into <paramref name="data"/> (here: written).</summary>
    internal static void Keystream(Aes cipher, ReadOnlySpan<byte> iv, Span<byte> output)
    {
        var blocks = (output.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (var i = 0; i < blocks; i++)
        {
            var block = counters.AsSpan(i * 16, 16);
            iv.CopyTo(block);
            var low = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(block[14..]) + i);
            BinaryPrimitives.WriteUInt16BigEndian(block[14..], low);
        }

        var stream = cipher.EncryptEcb(counters, PaddingMode.None);
        stream.AsSpan(0, output.Length).CopyTo(output);
    }

    /// <summary>
    /// Encrypts an RTP packet (RFC 3711 §3.1): payload XORed with the keystream for (SSRC, ROC·2^16 + SEQ), then the
    /// 80-bit tag over header, encrypted payload and ROC. Writes into <paramref name="destination"/> (at least the
    /// packet's length + <see cref="AuthTagLength"/>) and returns the SRTP packet's length. The rollover counter
    /// advances when the sequence number wraps (§3.3.1).
    /// </summary>
    public int ProtectRtp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        var headerLength = RtpHeaderLength(packet);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var roc = NextRoc(ssrc, seq);
        packet.CopyTo(destination);
        var index = ((ulong)roc << 16) | seq;
        Apply(_rtpCipher, _rtpSalt, ssrc, index, destination[headerLength..packet.Length]);
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        Tag(_rtpAuthKey, destination[..packet.Length], rocBytes, destination.Slice(packet.Length, AuthTagLength));
        return packet.Length + AuthTagLength;
    }

    /// <summary>
    /// Encrypts an RTCP compound packet (RFC 3711 §3.4): everything after the first 8 bytes, index from this context's
    /// SRTCP counter, E flag set, tag over packet and E||index.
    /// </summary>
    public int ProtectRtcp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length < 8)
        {
            throw new ArgumentException("RTCP packet shorter than 8 bytes");
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var index = _srtcpIndex;
        _srtcpIndex = (_srtcpIndex + 1) & 0x7FFFFFFF;
        packet.CopyTo(destination);
        Apply(_rtcpCipher, _rtcpSalt, ssrc, index, destination[8..packet.Length]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[packet.Length..], 0x80000000u | index);
        var end = packet.Length + SrtcpIndexLength;
        Tag(_rtcpAuthKey, destination[..end], [], destination.Slice(end, AuthTagLength));
        return end + AuthTagLength;
    }

    /// <summary>
    /// Checks and decrypts an SRTCP packet; returns the plain RTCP length, or -1 when it is too short or its tag is
    /// wrong (RFC 3711 §3.4: authentication is mandatory for SRTCP).
    /// </summary>
    public int UnprotectRtcp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length < 8 + SrtcpIndexLength + AuthTagLength)
        {
            return -1;
        }

        var end = packet.Length - AuthTagLength;
        Span<byte> tag = stackalloc byte[AuthTagLength];
        Tag(_rtcpAuthKey, packet[..end], [], tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, packet[end..]))
        {
            return -1;
        }

        var plainLength = end - SrtcpIndexLength;
        var word = BinaryPrimitives.ReadUInt32BigEndian(packet[plainLength..]);
        packet[..plainLength].CopyTo(destination);
        if ((word & 0x80000000u) != 0)
        {
            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
            Apply(_rtcpCipher, _rtcpSalt, ssrc, word & 0x7FFFFFFF, destination[8..plainLength]);
        }

        return plainLength;
    }

    /// <summary>Decrypts an SRTP packet (for tests and a future receive path); -1 when the tag is wrong.</summary>
    public int UnprotectRtp(ReadOnlySpan<byte> packet, uint roc, Span<byte> destination)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize + AuthTagLength)
        {
            return -1;
        }

        var end = packet.Length - AuthTagLength;
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        Span<byte> tag = stackalloc byte[AuthTagLength];
        Tag(_rtpAuthKey, packet[..end], rocBytes, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, packet[end..]))
        {
            return -1;
        }

        packet[..end].CopyTo(destination);
        var headerLength = RtpHeaderLength(packet[..end]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        Apply(_rtpCipher, _rtpSalt, ssrc, ((ulong)roc << 16) | seq, destination[headerLength..end]);
        return end;
    }

    public void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
    }

    private uint NextRoc(uint ssrc, ushort seq)
    {
        if (!_rollover.TryGetValue(ssrc, out var state))
        {
            _rollover[ssrc] = (0, seq);
            return 0;
        }

        var roc = state.Roc;
        // A sender's own sequence only moves forward; a retransmission re-sends stored SRTP, never through here.
        if (seq < state.LastSeq && state.LastSeq - seq > 0x8000)
        {
            roc++;
        }

        _rollover[ssrc] = (roc, seq);
        return roc;
    }

    /// <summary>RFC 3711 §4.1.1: IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16).</summary>
    private static void Apply(Aes cipher, byte[] salt, uint ssrc, ulong index, Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Span<byte> iv = stackalloc byte[16];
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (var i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (40 - (8 * i)));
        }

        var stream = new byte[data.Length];
        Keystream(cipher, iv, stream);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= stream[i];
        }
    }

    private static void Tag(byte[] key, ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> suffix, Span<byte> tag)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        hmac.AppendData(authenticated);
        hmac.AppendData(suffix);
        Span<byte> full = stackalloc byte[20];
        hmac.GetHashAndReset(full);
        full[..AuthTagLength].CopyTo(tag);
    }

    private static Aes CreateCipher(byte[] key)
    {
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }

    /// <summary>Fixed header, CSRCs and the header extension (RFC 3550 §5.1, §5.3.1): what SRTP leaves in the clear.</summary>
    private static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        var length = RtpPacket.FixedHeaderSize + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return Math.Min(length, packet.Length);
    }
}
