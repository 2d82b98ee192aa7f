using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using LightNvr.Media;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Rtp;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// One camera frame cut into RTP payloads once (RFC 6184 single NAL / STAP-A / FU-A for H.264, RFC 3551 for G.711,
/// RFC 7587 for Opus) and shared by every WebRTC viewer of the stream: a viewer only writes its own 12-byte header
/// (payload type, sequence, timestamp, SSRC) in front of each payload and encrypts it with its own SRTP keys.
/// Keyframes carry SPS/PPS (from the track) when the camera's IDR lacks them. Immutable once made.
/// </summary>
internal sealed class RtpFrame
{
    /// <summary>The frames the hub hands out are the same objects for every subscriber: the cut is kept with the frame.</summary>
    private static readonly ConditionalWeakTable<MediaFrame, RtpFrame> Shared = [];

    private readonly byte[] _payloads;
    private readonly Entry[] _entries;

    private RtpFrame(byte[] payloads, Entry[] entries, long payloadOctets)
    {
        _payloads = payloads;
        _entries = entries;
        PayloadOctets = payloadOctets;
    }

    public int Count => _entries.Length;

    public long PayloadOctets { get; }

    /// <summary>The cut of a hub frame, made by the first viewer that sends it.</summary>
    public static RtpFrame Of(MediaFrame frame, int maxPacketSize) =>
        Shared.GetValue(frame, f => Cut(f, maxPacketSize));

    /// <summary>Cuts a frame that no other viewer sees (the session's own Opus packets): not kept.</summary>
    public static RtpFrame Cut(MediaFrame frame, int maxPacketSize)
    {
        var send = frame;
        if (frame.Track.Codec == MediaCodec.H264 && frame.IsKeyFrame && frame.Track.Sps is { } sps && frame.Track.Pps is { } pps &&
            !ContainsParameterSets(frame.Data.Span))
        {
            send = new MediaFrame(frame.Track, frame.Dts, frame.CompositionOffset, true, WithParameterSets(sps, pps, frame.Data.Span),
                frame.WallClockUnixMs);
        }

        RtpPacketizer packetizer = frame.Track.Codec switch
        {
            MediaCodec.H264 => new H264Packetizer(0, 0, 0, 0, maxPacketSize),
            MediaCodec.Opus => new OpusPacketizer(0, 0, 0, 0, maxPacketSize),
            _ => new G711Packetizer(0, 0, 0, 0, maxPacketSize),
        };
        var payloads = new byte[send.Data.Length + 64];
        var entries = new List<Entry>(send.Data.Length / (maxPacketSize - RtpPacket.FixedHeaderSize) + 2);
        var used = 0;
        var pts = unchecked((uint)send.Pts);
        packetizer.Packetize(send, packet =>
        {
            var payload = packet[RtpPacket.FixedHeaderSize..];
            if (used + payload.Length > payloads.Length)
            {
                Array.Resize(ref payloads, Math.Max(payloads.Length * 2, used + payload.Length));
            }

            payload.CopyTo(payloads.AsSpan(used));
            var timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
            entries.Add(new Entry(used, payload.Length, (packet[1] & 0x80) != 0, unchecked(timestamp - pts)));
            used += payload.Length;
        });
        return new RtpFrame(payloads, [.. entries], packetizer.PayloadOctets);
    }

    /// <summary>
    /// Writes packet <paramref name="index"/> with the viewer's header into <paramref name="destination"/> and returns
    /// its length: RTP timestamp = <paramref name="timestamp"/> (the viewer's, for this frame) + the packet's offset
    /// inside the frame (G.711 frames longer than a packet).
    /// </summary>
    public int Write(int index, Span<byte> destination, byte payloadType, ushort sequence, uint timestamp, uint ssrc)
    {
        var e = _entries[index];
        RtpPacket.WriteHeader(destination, e.Marker, payloadType, sequence, unchecked(timestamp + e.TimestampOffset), ssrc);
        _payloads.AsSpan(e.Offset, e.Length).CopyTo(destination[RtpPacket.FixedHeaderSize..]);
        return RtpPacket.FixedHeaderSize + e.Length;
    }

    private static bool ContainsParameterSets(ReadOnlySpan<byte> avcc)
    {
        while (avcc.Length > 4)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(avcc);
            if (length <= 0 || length > avcc.Length - 4)
            {
                return false;
            }

            if ((H264NalUnitType)(avcc[4] & 0x1F) == H264NalUnitType.Sps)
            {
                return true;
            }

            avcc = avcc[(4 + length)..];
        }

        return false;
    }

    /// <summary>SPS and PPS ahead of the keyframe's own NAL units (AVCC layout), so every IDR is decodable alone.</summary>
    private static byte[] WithParameterSets(byte[] sps, byte[] pps, ReadOnlySpan<byte> avcc)
    {
        var result = new byte[8 + sps.Length + pps.Length + avcc.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, sps.Length);
        sps.CopyTo(result, 4);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(4 + sps.Length), pps.Length);
        pps.CopyTo(result, 8 + sps.Length);
        avcc.CopyTo(result.AsSpan(8 + sps.Length + pps.Length));
        return result;
    }

    private readonly record struct Entry(int Offset, int Length, bool Marker, uint TimestampOffset);
}
