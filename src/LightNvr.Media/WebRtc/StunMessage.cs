using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// A STUN message (RFC 8489 §5) as ICE connectivity checks use it (RFC 8445 §7): the parsed header and the
/// attributes an ICE-lite agent needs (USERNAME, PRIORITY, USE-CANDIDATE, ICE-CONTROLLING, MESSAGE-INTEGRITY,
/// FINGERPRINT), and writers for Binding success responses (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT).
/// </summary>
public sealed class StunMessage
{
    /// <summary>RFC 8489 §5: the magic cookie every STUN message carries after its type and length.</summary>
    public const uint MagicCookie = 0x2112A442;

    public const int HeaderSize = 20;

    /// <summary>RFC 8489 §5: Binding request (method 0x001, class request).</summary>
    public const ushort BindingRequest = 0x0001;

    /// <summary>RFC 8489 §5: Binding success response.</summary>
    public const ushort BindingSuccess = 0x0101;

    /// <summary>RFC 8489 §5: Binding error response.</summary>
    public const ushort BindingError = 0x0111;

    /// <summary>
    /// Largest STUN message accepted: a connectivity check is about 100 bytes; RFC 8489 §6.1 bounds messages by the
    /// path MTU (548 bytes unless known larger), so a 1,500-byte datagram is generous.
    /// </summary>
    public const int MaxMessageSize = 1500;

    /// <summary>RFC 8489 §14.3: USERNAME is at most 513 bytes.</summary>
    public const int MaxUsernameBytes = 513;

    private const ushort AttrMappedAddress = 0x0001;
    private const ushort AttrUsername = 0x0006;
    private const ushort AttrMessageIntegrity = 0x0008;
    private const ushort AttrErrorCode = 0x0009;
    private const ushort AttrXorMappedAddress = 0x0020;
    private const ushort AttrPriority = 0x0024;
    private const ushort AttrUseCandidate = 0x0025;
    private const ushort AttrFingerprint = 0x8028;
    private const ushort AttrIceControlled = 0x8029;
    private const ushort AttrIceControlling = 0x802A;

    /// <summary>RFC 8489 §14.7: the CRC is XORed with the ASCII of "STUN".</summary>
    private const uint FingerprintXor = 0x5354554e;

    private StunMessage(ushort type, byte[] transactionId)
    {
        Type = type;
        TransactionId = transactionId;
    }

    public ushort Type { get; }

    /// <summary>The 96-bit transaction id (RFC 8489 §5).</summary>
    public byte[] TransactionId { get; }

    /// <summary>USERNAME (<c>localUfrag:remoteUfrag</c> in an ICE check, RFC 8445 §7.2.2), or null.</summary>
    public string? Username { get; private set; }

    public uint? Priority { get; private set; }

    public bool UseCandidate { get; private set; }

    public bool IceControlling { get; private set; }

    public bool IceControlled { get; private set; }

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute, or -1.</summary>
    public int IntegrityOffset { get; private set; } = -1;

    /// <summary>
    /// A Binding response's XOR-MAPPED-ADDRESS (RFC 8489 §14.2), or its MAPPED-ADDRESS (§14.1, RFC 3489 servers)
    /// when there is no XOR one: the address a STUN server saw the request come from.
    /// </summary>
    public IPEndPoint? MappedAddress { get; private set; }

    /// <summary>
    /// RFC 7983 §7: a datagram whose first byte is 0–3 is STUN (DTLS is 20–63, RTP/RTCP 128–191).
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderSize && datagram[0] < 4 &&
        BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    /// <summary>
    /// Parses a STUN message. False for anything malformed: wrong cookie, length not matching the datagram or not a
    /// multiple of 4, attributes overrunning, or a FINGERPRINT that does not match (RFC 8489 §7.3).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out StunMessage? message)
    {
        message = null;
        if (data.Length < HeaderSize || data.Length > MaxMessageSize || !IsStun(data))
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(data);
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (length % 4 != 0 || HeaderSize + length != data.Length)
        {
            return false;
        }

        var result = new StunMessage(type, data.Slice(8, 12).ToArray());
        var offset = HeaderSize;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                return false;
            }

            var attrType = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var attrLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var padded = (attrLength + 3) & ~3;
            if (offset + 4 + padded > data.Length)
            {
                return false;
            }

            var value = data.Slice(offset + 4, attrLength);
            if (result.IntegrityOffset >= 0 && attrType != AttrFingerprint)
            {
                // RFC 8489 §14.5 says ignore what follows MESSAGE-INTEGRITY except FINGERPRINT; no ICE agent sends
                // anything there, so such a message is refused outright.
                return false;
            }

            switch (attrType)
            {
                case AttrUsername when result.IntegrityOffset < 0:
                    if (attrLength > MaxUsernameBytes)
                    {
                        return false;
                    }

                    result.Username = Encoding.UTF8.GetString(value);
                    break;
                case AttrPriority when attrLength == 4 && result.IntegrityOffset < 0:
                    result.Priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case AttrUseCandidate when result.IntegrityOffset < 0:
                    result.UseCandidate = true;
                    break;
                case AttrIceControlling when result.IntegrityOffset < 0:
                    result.IceControlling = true;
                    break;
                case AttrIceControlled when result.IntegrityOffset < 0:
                    result.IceControlled = true;
                    break;
                case AttrXorMappedAddress when result.IntegrityOffset < 0:
                    result.MappedAddress = ReadAddress(value, result.TransactionId, xor: true) ?? result.MappedAddress;
                    break;
                case AttrMappedAddress when result.IntegrityOffset < 0 && result.MappedAddress is null:
                    result.MappedAddress = ReadAddress(value, result.TransactionId, xor: false);
                    break;
                case AttrMessageIntegrity:
                    if (attrLength != 20 || result.IntegrityOffset >= 0)
                    {
                        return false;
                    }

                    result.IntegrityOffset = offset;
                    break;
                case AttrFingerprint:
                    // RFC 8489 §14.7: the last attribute; CRC over everything before it.
                    if (attrLength != 4 || offset + 8 != data.Length ||
                        BinaryPrimitives.ReadUInt32BigEndian(value) != (Crc32.Compute(data[..offset]) ^ FingerprintXor))
                    {
                        return false;
                    }

                    break;
            }

            offset += 4 + padded;
        }

        message = result;
        return true;
    }

    /// <summary>
    /// RFC 8489 §14.5: HMAC-SHA1 with <paramref name="key"/> (short-term credential: the password's bytes) over the
    /// message up to MESSAGE-INTEGRITY, with the header length counting up to the end of that attribute.
    /// </summary>
    public bool CheckIntegrity(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key)
    {
        if (IntegrityOffset < 0)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[20];
        ComputeIntegrity(data[..IntegrityOffset], key, expected);
        return CryptographicOperations.FixedTimeEquals(expected, data.Slice(IntegrityOffset + 4, 20));
    }

    /// <summary>
    /// Writes a Binding success response to <paramref name="transactionId"/> carrying the request's source as
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2), then MESSAGE-INTEGRITY with <paramref name="key"/> and FINGERPRINT.
    /// Returns the length written (at most 80 bytes).
    /// </summary>
    public static int WriteBindingSuccess(Span<byte> destination, ReadOnlySpan<byte> transactionId, IPEndPoint mapped,
        ReadOnlySpan<byte> key)
    {
        var offset = WriteHeader(destination, BindingSuccess, transactionId);
        var v6 = mapped.AddressFamily == AddressFamily.InterNetworkV6;
        var addressLength = v6 ? 16 : 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], AttrXorMappedAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(4 + addressLength));
        destination[offset + 4] = 0;
        destination[offset + 5] = (byte)(v6 ? 2 : 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 6)..], (ushort)(mapped.Port ^ (MagicCookie >> 16)));
        Span<byte> address = stackalloc byte[16];
        mapped.Address.TryWriteBytes(address, out _);
        for (var i = 0; i < addressLength; i++)
        {
            // XOR with the cookie, then (IPv6) the transaction id: RFC 8489 §14.2.
            var mask = i < 4 ? (byte)(MagicCookie >> (24 - (8 * i))) : transactionId[i - 4];
            destination[offset + 8 + i] = (byte)(address[i] ^ mask);
        }

        offset += 8 + addressLength;
        return AppendIntegrityAndFingerprint(destination, offset, key);
    }

    /// <summary>Writes a Binding request (for tests and clients): USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MI, FINGERPRINT.</summary>
    public static int WriteBindingRequest(Span<byte> destination, ReadOnlySpan<byte> transactionId, string username,
        ReadOnlySpan<byte> key, bool useCandidate)
    {
        var offset = WriteHeader(destination, BindingRequest, transactionId);
        var user = Encoding.UTF8.GetBytes(username);
        offset = WriteAttribute(destination, offset, AttrUsername, user);
        Span<byte> priority = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(priority, 0x6E7F1EFF);
        offset = WriteAttribute(destination, offset, AttrPriority, priority);
        offset = WriteAttribute(destination, offset, AttrIceControlling, stackalloc byte[8]);
        if (useCandidate)
        {
            offset = WriteAttribute(destination, offset, AttrUseCandidate, []);
        }

        return AppendIntegrityAndFingerprint(destination, offset, key);
    }

    /// <summary>
    /// Writes a plain Binding request (RFC 8489 §6.1, no credentials) with FINGERPRINT: what a client sends a STUN
    /// server to learn its server-reflexive address. Returns the length written (28 bytes).
    /// </summary>
    public static int WriteBindingRequest(Span<byte> destination, ReadOnlySpan<byte> transactionId)
    {
        var offset = WriteHeader(destination, BindingRequest, transactionId);
        return AppendFingerprint(destination, offset);
    }

    /// <summary>Writes a Binding error response with ERROR-CODE (RFC 8489 §14.8), e.g. 401 Unauthenticated, with FINGERPRINT.</summary>
    public static int WriteBindingError(Span<byte> destination, ReadOnlySpan<byte> transactionId, int code, string reason)
    {
        var offset = WriteHeader(destination, BindingError, transactionId);
        var text = Encoding.UTF8.GetBytes(reason);
        var value = new byte[4 + text.Length];
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        text.CopyTo(value, 4);
        offset = WriteAttribute(destination, offset, AttrErrorCode, value);
        return AppendFingerprint(destination, offset);
    }

    /// <summary>A (XOR-)MAPPED-ADDRESS value: family 1 (IPv4) or 2 (IPv6), port, address; null when malformed.</summary>
    private static IPEndPoint? ReadAddress(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, bool xor)
    {
        var length = value.Length >= 4 ? value[1] switch { 1 => 4, 2 => 16, _ => 0 } : 0;
        if (length == 0 || value.Length != 4 + length)
        {
            return null;
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> address = stackalloc byte[length];
        for (var i = 0; i < length; i++)
        {
            var mask = !xor ? (byte)0 : i < 4 ? (byte)(MagicCookie >> (24 - (8 * i))) : transactionId[i - 4];
            address[i] = (byte)(value[4 + i] ^ mask);
        }

        return new IPEndPoint(new IPAddress(address), xor ? port ^ (int)(MagicCookie >> 16) : port);
    }

    private static int WriteHeader(Span<byte> destination, ushort type, ReadOnlySpan<byte> transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], MagicCookie);
        transactionId[..12].CopyTo(destination[8..]);
        return HeaderSize;
    }

    private static int WriteAttribute(Span<byte> destination, int offset, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)value.Length);
        value.CopyTo(destination[(offset + 4)..]);
        var padded = (value.Length + 3) & ~3;
        destination.Slice(offset + 4 + value.Length, padded - value.Length).Clear();
        return offset + 4 + padded;
    }

    private static int AppendIntegrityAndFingerprint(Span<byte> destination, int offset, ReadOnlySpan<byte> key)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], AttrMessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 20);
        ComputeIntegrity(destination[..offset], key, destination.Slice(offset + 4, 20));
        return AppendFingerprint(destination, offset + 24);
    }

    private static int AppendFingerprint(Span<byte> destination, int offset)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(offset + 8 - HeaderSize));
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], AttrFingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], Crc32.Compute(destination[..offset]) ^ FingerprintXor);
        return offset + 8;
    }

    /// <summary>HMAC-SHA1 over <paramref name="before"/> with its length field set to end after a 24-byte MI attribute.</summary>
    private static void ComputeIntegrity(ReadOnlySpan<byte> before, ReadOnlySpan<byte> key, Span<byte> mac)
    {
        var copy = before.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(before.Length + 24 - HeaderSize));
        HMACSHA1.HashData(key, copy, mac);
    }
}
