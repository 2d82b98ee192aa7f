using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using LightNvr.Media.Rtp;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// One direction of SRTP/SRTCP (RFC 3711) with one of two profiles: AES_CM_128_HMAC_SHA1_80 (RFC 3711 §8.2, RFC 5764
/// §4.1.2; <see cref="SrtpAesCm"/>) or AEAD_AES_128_GCM (RFC 7714; <see cref="SrtpAesGcm"/>). Both derive their session
/// keys from the master key and salt with the AES-CM PRF (§4.3.1, key derivation rate 0). This class keeps what the
/// profiles share: the rollover counter per SSRC (§3.3.1) and the SRTCP index (§3.4). Not thread-safe: one sender or
/// receiver owns it. Replay protection on receive is not kept (RTCP is only advisory; talk audio is played as it comes).
/// </summary>
public sealed class SrtpContext : IDisposable
{
    public const int MasterKeyLength = 16;
    public const int MasterSaltLength = 14;

    /// <summary>HMAC-SHA1 truncated to 80 bits (RFC 3711 §5.2): the AES-CM profile's tag.</summary>
    public const int AuthTagLength = 10;

    /// <summary>The SRTCP trailer: E flag + 31-bit index (RFC 3711 §3.4).</summary>
    public const int SrtcpIndexLength = 4;

    /// <summary>The most either profile adds to an RTP packet (GCM's 16-byte tag, RFC 7714 §7).</summary>
    public const int MaxRtpOverhead = SrtpAesGcm.TagLength;

    private readonly SrtpAesCm? _cm;
    private readonly SrtpAesGcm? _gcm;
    private readonly Dictionary<uint, (uint Roc, ushort LastSeq)> _rollover = [];
    private uint _srtcpIndex;

    /// <summary>AES_CM_128_HMAC_SHA1_80 with a 16-byte master key and a 14-byte master salt.</summary>
    public SrtpContext(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(SrtpProfile.AesCm128HmacSha1_80, masterKey, masterSalt)
    {
    }

    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        Profile = profile;
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            _gcm = new SrtpAesGcm(masterKey, masterSalt);
        }
        else
        {
            _cm = new SrtpAesCm(masterKey, masterSalt);
        }
    }

    private SrtpContext(SrtpAesGcm gcm)
    {
        Profile = SrtpProfile.AeadAes128Gcm;
        _gcm = gcm;
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes of DTLS keying material the profile needs: 2 × (key + salt) (RFC 5764 §4.2).</summary>
    public static int KeyingMaterialLength(SrtpProfile profile) =>
        2 * (MasterKeyLength + (profile == SrtpProfile.AeadAes128Gcm ? SrtpAesGcm.MasterSaltLength : MasterSaltLength));

    /// <summary>
    /// The two contexts of a DTLS-SRTP server from the exported keying material (RFC 5764 §4.2: client key | server
    /// key | client salt | server salt): it receives with the client's keys and sends with its own.
    /// </summary>
    public static (SrtpContext Receive, SrtpContext Send) ForServer(SrtpProfile profile, ReadOnlySpan<byte> keys)
    {
        var saltLength = (KeyingMaterialLength(profile) / 2) - MasterKeyLength;
        if (keys.Length != KeyingMaterialLength(profile))
        {
            throw new ArgumentException($"{profile} needs {KeyingMaterialLength(profile)} bytes of keying material");
        }

        var receive = new SrtpContext(profile, keys[..16], keys.Slice(32, saltLength));
        var send = new SrtpContext(profile, keys.Slice(16, 16), keys.Slice(32 + saltLength, saltLength));
        return (receive, send);
    }

    /// <summary>A GCM context from session keys directly, as RFC 7714 §16–17's test vectors give them.</summary>
    internal static SrtpContext GcmFromSessionKeys(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) =>
        new(SrtpAesGcm.FromSessionKeys(rtpKey, rtpSalt, rtcpKey, rtcpSalt));

    /// <summary>What <see cref="ProtectRtp"/> adds to a packet: the tag.</summary>
    public int RtpOverhead => _gcm is null ? AuthTagLength : SrtpAesGcm.TagLength;

    /// <summary>What <see cref="ProtectRtcp"/> adds to a packet: the tag and the E||index word.</summary>
    public int RtcpOverhead => RtpOverhead + SrtcpIndexLength;

    /// <summary>The next SRTCP index this context sends (tests set it to a test vector's).</summary>
    internal uint NextSrtcpIndex
    {
        get => _srtcpIndex;
        set => _srtcpIndex = value & 0x7FFFFFFF;
    }

    /// <summary>The AES-CM RTP session keys, for tests against RFC 3711 Appendix B.3.</summary>
    internal (byte[] CipherKey, byte[] CipherSalt, byte[] AuthKey) RtpSessionKeys =>
        _cm?.RtpSessionKeys ?? throw new InvalidOperationException("not an AES-CM context");

    /// <summary>
    /// RFC 3711 §4.3.1 with kdr = 0: x = (label || r=0) XOR master salt, session key = AES-CM keystream with
    /// IV = x·2^16 under the master key. A 12-byte (GCM) salt is padded with zeros on the right to 14 bytes (RFC 7714
    /// §11, as libsrtp does).
    /// </summary>
    internal static byte[] Derive(Aes master, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
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
        var counters = ArrayPool<byte>.Shared.Rent(blocks * 16);
        var stream = ArrayPool<byte>.Shared.Rent(blocks * 16);
        try
        {
            for (var i = 0; i < blocks; i++)
            {
                var block = counters.AsSpan(i * 16, 16);
                iv.CopyTo(block);
                var low = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(block[14..]) + i);
                BinaryPrimitives.WriteUInt16BigEndian(block[14..], low);
            }

            cipher.EncryptEcb(counters.AsSpan(0, blocks * 16), stream.AsSpan(0, blocks * 16), PaddingMode.None);
            stream.AsSpan(0, output.Length).CopyTo(output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
            ArrayPool<byte>.Shared.Return(stream);
        }
    }

    /// <summary>
    /// Protects an RTP packet (RFC 3711 §3.1, RFC 7714 §8): the payload encrypted for (SSRC, ROC·2^16 + SEQ) and the
    /// tag appended. Writes into <paramref name="destination"/> (at least the packet's length + <see cref="RtpOverhead"/>)
    /// and returns the SRTP packet's length. The rollover counter advances when the sequence number wraps (§3.3.1).
    /// </summary>
    public int ProtectRtp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        var headerLength = RtpHeaderLength(packet);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var roc = NextRoc(ssrc, seq);
        return _gcm is not null
            ? _gcm.ProtectRtp(packet, headerLength, ssrc, roc, seq, destination)
            : _cm!.ProtectRtp(packet, headerLength, ssrc, roc, seq, destination);
    }

    /// <summary>
    /// Protects an RTCP compound packet (RFC 3711 §3.4, RFC 7714 §9): everything after the first 8 bytes encrypted,
    /// the index from this context's SRTCP counter with the E flag set, and the tag.
    /// </summary>
    public int ProtectRtcp(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length < 8)
        {
            throw new ArgumentException("RTCP packet shorter than 8 bytes");
        }

        var index = _srtcpIndex;
        _srtcpIndex = (_srtcpIndex + 1) & 0x7FFFFFFF;
        return _gcm is not null ? _gcm.ProtectRtcp(packet, index, destination) : _cm!.ProtectRtcp(packet, index, destination);
    }

    /// <summary>
    /// Checks and decrypts an SRTCP packet; returns the plain RTCP length, or -1 when it is too short or its tag is
    /// wrong (RFC 3711 §3.4: authentication is mandatory for SRTCP).
    /// </summary>
    public int UnprotectRtcp(ReadOnlySpan<byte> packet, Span<byte> destination) =>
        _gcm is not null ? _gcm.UnprotectRtcp(packet, destination) : _cm!.UnprotectRtcp(packet, destination);

    /// <summary>Checks and decrypts an SRTP packet with the given rollover counter; -1 when the tag is wrong.</summary>
    public int UnprotectRtp(ReadOnlySpan<byte> packet, uint roc, Span<byte> destination)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize + RtpOverhead)
        {
            return -1;
        }

        var end = packet.Length - RtpOverhead;
        var headerLength = RtpHeaderLength(packet[..end]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return _gcm is not null
            ? _gcm.UnprotectRtp(packet, headerLength, ssrc, roc, seq, destination)
            : _cm!.UnprotectRtp(packet, headerLength, ssrc, roc, seq, destination);
    }

    public void Dispose()
    {
        _cm?.Dispose();
        _gcm?.Dispose();
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

    /// <summary>Fixed header, CSRCs and the header extension (RFC 3550 §5.1, §5.3.1): what SRTP leaves in the clear.</summary>
    private static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        var length = RtpPacket.FixedHeaderSize + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0 && packet.Length >= length + 4)
        {
            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return Math.Min(length, packet.Length);
    }
}
