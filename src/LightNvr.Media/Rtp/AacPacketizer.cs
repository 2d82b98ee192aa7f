using System.Buffers.Binary;

namespace LightNvr.Media.Rtp;

/// <summary>
/// AAC in mpeg4-generic AAC-hbr (RFC 3640 §3.3.6: sizelength=13, indexlength=3, indexdeltalength=3): one access
/// unit per packet with one AU header; an AU too big for one packet is fragmented (§3.2.3.2), each fragment
/// carrying the same AU header with the whole AU size, the marker set on the last.
/// </summary>
public sealed class AacPacketizer : RtpPacketizer
{
    /// <summary>AU-headers-length (2 bytes) + one 16-bit AU header (13-bit size, 3-bit index).</summary>
    private const int HeaderBytes = 4;

    /// <summary>AAC-hbr's 13-bit AU-size field.</summary>
    public const int MaxAccessUnitBytes = (1 << 13) - 1;

    public AacPacketizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize = DefaultMaxPacketSize)
        : base(payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
    }

    /// <summary>The fmtp this packetizer's output matches (config is the track's AudioSpecificConfig in hex).</summary>
    public static string Fmtp(byte[] audioSpecificConfig) =>
        $"streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config={Convert.ToHexString(audioSpecificConfig).ToLowerInvariant()}";

    public override int Packetize(MediaFrame frame, RtpPacketHandler onPacket)
    {
        var au = frame.Data.Span;
        if (au.IsEmpty || au.Length > MaxAccessUnitBytes)
        {
            return 0;
        }

        var timestamp = TimestampOf(frame.Pts);
        var count = 0;
        var offset = 0;
        do
        {
            var chunk = Math.Min(au.Length - offset, MaxPayloadSize - HeaderBytes);
            var payload = PayloadBuffer;
            BinaryPrimitives.WriteUInt16BigEndian(payload, 16); // AU-headers-length in bits
            BinaryPrimitives.WriteUInt16BigEndian(payload[2..], (ushort)(au.Length << 3)); // AU-size, AU-Index 0
            au.Slice(offset, chunk).CopyTo(payload[HeaderBytes..]);
            offset += chunk;
            Send(HeaderBytes + chunk, offset == au.Length, timestamp, onPacket);
            count++;
        }
        while (offset < au.Length);

        return count;
    }
}
