using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// The AES_CM_128_HMAC_SHA1_80 transform (RFC 3711): AES in counter mode (§4.1.1) over the payload, HMAC-SHA1 tags
/// truncated to 80 bits (§4.2.1) over the packet and the rollover counter (RTP) or the E||index word (RTCP). The
/// rollover counter and the SRTCP index come from <see cref="SrtpContext"/>.
/// </summary>
internal sealed class SrtpAesCm : IDisposable
{
    private const int SessionAuthKeyLength = 20;

    private readonly Aes _rtpCipher;
    private readonly Aes _rtcpCipher;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly byte[] _rtpAuthKey;
    private readonly byte[] _rtcpAuthKey;

    public SrtpAesCm(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length != SrtpContext.MasterKeyLength || masterSalt.Length != SrtpContext.MasterSaltLength)
        {
            throw new ArgumentException("AES_CM_128 needs a 16-byte master key and a 14-byte master salt");
        }

        using var master = Aes.Create();
        master.Key = masterKey.ToArray();
        _rtpCipher = CreateCipher(SrtpContext.Derive(master, masterSalt, 0, SrtpContext.MasterKeyLength));
        _rtpAuthKey = SrtpContext.Derive(master, masterSalt, 1, SessionAuthKeyLength);
        _rtpSalt = SrtpContext.Derive(master, masterSalt, 2, SrtpContext.MasterSaltLength);
        _rtcpCipher = CreateCipher(SrtpContext.Derive(master, masterSalt, 3, SrtpContext.MasterKeyLength));
        _rtcpAuthKey = SrtpContext.Derive(master, masterSalt, 4, SessionAuthKeyLength);
        _rtcpSalt = SrtpContext.Derive(master, masterSalt, 5, SrtpContext.MasterSaltLength);
    }

    public (byte[] CipherKey, byte[] CipherSalt, byte[] AuthKey) RtpSessionKeys => (_rtpCipher.Key, _rtpSalt, _rtpAuthKey);

    public int ProtectRtp(ReadOnlySpan<byte> packet, int headerLength, uint ssrc, uint roc, ushort seq, Span<byte> destination)
    {
        packet.CopyTo(destination);
        Apply(_rtpCipher, _rtpSalt, ssrc, ((ulong)roc << 16) | seq, destination[headerLength..packet.Length]);
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        Tag(_rtpAuthKey, destination[..packet.Length], rocBytes, destination.Slice(packet.Length, SrtpContext.AuthTagLength));
        return packet.Length + SrtpContext.AuthTagLength;
    }

    public int UnprotectRtp(ReadOnlySpan<byte> packet, int headerLength, uint ssrc, uint roc, ushort seq, Span<byte> destination)
    {
        var end = packet.Length - SrtpContext.AuthTagLength;
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        Span<byte> tag = stackalloc byte[SrtpContext.AuthTagLength];
        Tag(_rtpAuthKey, packet[..end], rocBytes, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, packet[end..]))
        {
            return -1;
        }

        packet[..end].CopyTo(destination);
        Apply(_rtpCipher, _rtpSalt, ssrc, ((ulong)roc << 16) | seq, destination[headerLength..end]);
        return end;
    }

    public int ProtectRtcp(ReadOnlySpan<byte> packet, uint index, Span<byte> destination)
    {
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        packet.CopyTo(destination);
        Apply(_rtcpCipher, _rtcpSalt, ssrc, index, destination[8..packet.Length]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[packet.Length..], 0x80000000u | index);
        var end = packet.Length + SrtpContext.SrtcpIndexLength;
        Tag(_rtcpAuthKey, destination[..end], [], destination.Slice(end, SrtpContext.AuthTagLength));
        return end + SrtpContext.AuthTagLength;
    }

    public int UnprotectRtcp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length < 8 + SrtpContext.SrtcpIndexLength + SrtpContext.AuthTagLength)
        {
            return -1;
        }

        var end = packet.Length - SrtpContext.AuthTagLength;
        Span<byte> tag = stackalloc byte[SrtpContext.AuthTagLength];
        Tag(_rtcpAuthKey, packet[..end], [], tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, packet[end..]))
        {
            return -1;
        }

        var plainLength = end - SrtpContext.SrtcpIndexLength;
        var word = BinaryPrimitives.ReadUInt32BigEndian(packet[plainLength..]);
        packet[..plainLength].CopyTo(destination);
        if ((word & 0x80000000u) != 0)
        {
            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
            Apply(_rtcpCipher, _rtcpSalt, ssrc, word & 0x7FFFFFFF, destination[8..plainLength]);
        }

        return plainLength;
    }

    public void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
    }

    /// <summary>RFC 3711 §4.1.1: IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16).</summary>
    private static void Apply(Aes cipher, byte[] salt, uint ssrc, ulong index, Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (var i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (40 - (8 * i)));
        }

        var rented = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            var stream = rented.AsSpan(0, data.Length);
            SrtpContext.Keystream(cipher, iv, stream);
            for (var i = 0; i < data.Length; i++)
            {
                data[i] ^= stream[i];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>HMAC-SHA1 over authenticated || suffix, truncated; one-shot on a pooled buffer (no object per packet).</summary>
    private static void Tag(byte[] key, ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> suffix, Span<byte> tag)
    {
        var length = authenticated.Length + suffix.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            authenticated.CopyTo(rented);
            suffix.CopyTo(rented.AsSpan(authenticated.Length));
            Span<byte> full = stackalloc byte[20];
            HMACSHA1.HashData(key, rented.AsSpan(0, length), full);
            full[..SrtpContext.AuthTagLength].CopyTo(tag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static Aes CreateCipher(byte[] key)
    {
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }
}
