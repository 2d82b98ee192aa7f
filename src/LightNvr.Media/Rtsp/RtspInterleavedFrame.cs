using System.Buffers.Binary;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Writer of interleaved binary frames, RFC 2326 §10.12: <c>$</c>, a one-byte channel, a 16-bit big-endian length and
/// the payload (one RTP or RTCP packet). The parser side is <see cref="RtspMessageParser"/>.
/// </summary>
public static class RtspInterleavedFrame
{
    public static int GetSize(int payloadLength) => RtspLimits.InterleavedHeaderLength + payloadLength;

    /// <summary>Writes the frame header and payload; the payload may already be in place at offset 4.</summary>
    public static int WriteTo(byte channel, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (payload.Length > RtspLimits.MaxInterleavedPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "an interleaved frame carries at most 65535 bytes");
        }

        WriteHeader(channel, payload.Length, destination);
        payload.CopyTo(destination[RtspLimits.InterleavedHeaderLength..]);
        return GetSize(payload.Length);
    }

    public static void WriteHeader(byte channel, int payloadLength, Span<byte> destination)
    {
        destination[0] = (byte)'$';
        destination[1] = channel;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)payloadLength));
    }
}
