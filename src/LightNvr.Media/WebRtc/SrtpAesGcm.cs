using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// The AEAD_AES_128_GCM transform (RFC 7714): session keys from the AES-CM PRF with labels 0/2 (SRTP) and 3/5
/// (SRTCP) and a 12-byte salt (§11); the RTP header (with CSRCs and extensions) is the associated data and the payload
/// the plaintext (§8.2); for SRTCP the first 8 bytes and the E||index word are associated data and the rest is
/// encrypted (§9.2), the 16-byte tag sits before the E||index word. The 96-bit IV is
/// (00 00 || SSRC || ROC || SEQ) or (00 00 || SSRC || 00 00 || 0 || SRTCP index), XOR the session salt (§8.1, §9.1).
/// </summary>
internal sealed class SrtpAesGcm : IDisposable
{
    public const int MasterSaltLength = 12;

    /// <summary>RFC 7714 §7: AEAD_AES_128_GCM's tag is 16 octets (the 8-octet variant is not used by DTLS-SRTP).</summary>
    public const int TagLength = 16;

    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public SrtpAesGcm(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length != SrtpContext.MasterKeyLength || masterSalt.Length != MasterSaltLength)
        {
            throw new ArgumentException("AEAD_AES_128_GCM needs a 16-byte master key and a 12-byte master salt");
        }

        using var master = Aes.Create();
        master.Key = masterKey.ToArray();
        _rtp = new AesGcm(SrtpContext.Derive(master, masterSalt, 0, SrtpContext.MasterKeyLength), TagLength);
        _rtpSalt = SrtpContext.Derive(master, masterSalt, 2, MasterSaltLength);
        _rtcp = new AesGcm(SrtpContext.Derive(master, masterSalt, 3, SrtpContext.MasterKeyLength), TagLength);
        _rtcpSalt = SrtpContext.Derive(master, masterSalt, 5, MasterSaltLength);
    }

    private SrtpAesGcm(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt)
    {
        _rtp = new AesGcm(rtpKey, TagLength);
        _rtpSalt = rtpSalt;
        _rtcp = new AesGcm(rtcpKey, TagLength);
        _rtcpSalt = rtcpSalt;
    }

    /// <summary>From session keys directly, as RFC 7714's test vectors (§16, §17) give them.</summary>
    public static SrtpAesGcm FromSessionKeys(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) =>
        new(rtpKey, rtpSalt, rtcpKey, rtcpSalt);

    public int ProtectRtp(ReadOnlySpan<byte> packet, int headerLength, uint ssrc, uint roc, ushort seq, Span<byte> destination)
    {
        Span<byte> iv = stackalloc byte[12];
        RtpIv(iv, ssrc, roc, seq);
        packet[..headerLength].CopyTo(destination);
        var payloadLength = packet.Length - headerLength;
        _rtp.Encrypt(iv, packet[headerLength..], destination.Slice(headerLength, payloadLength),
            destination.Slice(packet.Length, TagLength), packet[..headerLength]);
        return packet.Length + TagLength;
    }

    public int UnprotectRtp(ReadOnlySpan<byte> packet, int headerLength, uint ssrc, uint roc, ushort seq, Span<byte> destination)
    {
        var end = packet.Length - TagLength;
        Span<byte> iv = stackalloc byte[12];
        RtpIv(iv, ssrc, roc, seq);
        try
        {
            _rtp.Decrypt(iv, packet[headerLength..end], packet[end..], destination[headerLength..end], packet[..headerLength]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return -1;
        }

        packet[..headerLength].CopyTo(destination);
        return end;
    }

    public int ProtectRtcp(ReadOnlySpan<byte> packet, uint index, Span<byte> destination)
    {
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        Span<byte> iv = stackalloc byte[12];
        RtcpIv(iv, ssrc, index);
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], 0x80000000u | index);
        packet[..8].CopyTo(destination);
        _rtcp.Encrypt(iv, packet[8..], destination[8..packet.Length], destination.Slice(packet.Length, TagLength), aad);
        aad[8..].CopyTo(destination[(packet.Length + TagLength)..]);
        return packet.Length + TagLength + SrtpContext.SrtcpIndexLength;
    }

    public int UnprotectRtcp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length < 8 + TagLength + SrtpContext.SrtcpIndexLength)
        {
            return -1;
        }

        var indexAt = packet.Length - SrtpContext.SrtcpIndexLength;
        var word = BinaryPrimitives.ReadUInt32BigEndian(packet[indexAt..]);
        var end = indexAt - TagLength;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        packet[indexAt..].CopyTo(aad[8..]);
        if ((word & 0x80000000u) == 0)
        {
            // RFC 7714 §9.3: unencrypted SRTCP, everything is associated data and the plaintext is empty.
            return -1; // never sent by browsers; not supported here
        }

        Span<byte> iv = stackalloc byte[12];
        RtcpIv(iv, ssrc, word & 0x7FFFFFFF);
        try
        {
            _rtcp.Decrypt(iv, packet[8..end], packet.Slice(end, TagLength), destination[8..end], aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return -1;
        }

        packet[..8].CopyTo(destination);
        return end;
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    /// <summary>RFC 7714 §8.1: (00 00 || SSRC || ROC || SEQ) XOR salt.</summary>
    private void RtpIv(Span<byte> iv, uint ssrc, uint roc, ushort seq)
    {
        iv[..2].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[6..], roc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[10..], seq);
        Xor(iv, _rtpSalt);
    }

    /// <summary>RFC 7714 §9.1: (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt.</summary>
    private void RtcpIv(Span<byte> iv, uint ssrc, uint index)
    {
        iv[..2].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        iv[6..8].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], index & 0x7FFFFFFF);
        Xor(iv, _rtcpSalt);
    }

    private static void Xor(Span<byte> iv, byte[] salt)
    {
        for (var i = 0; i < iv.Length; i++)
        {
            iv[i] ^= salt[i];
        }
    }
}
