using System.Net;
using System.Net.Sockets;
using LightNvr.Media.Rtp;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// One track a client set up for playing: its packetizer (random SSRC, sequence and timestamp start, RFC 3550 §5.1)
/// and its transport, interleaved channels (RFC 2326 §10.12) or a UDP port pair towards the client's
/// <c>client_port</c>. Also what the last RTCP sender report needs (RFC 3550 §6.4.1).
/// Used by one playback loop at a time.
/// </summary>
internal sealed class RtspOutgoingTrack : IDisposable
{
    public RtspOutgoingTrack(MediaTrack track, RtpPacketizer packetizer, string controlUrl)
    {
        Track = track;
        Packetizer = packetizer;
        ControlUrl = controlUrl;
    }

    public MediaTrack Track { get; }

    public int Id => Track.Id;

    public RtpPacketizer Packetizer { get; }

    public string ControlUrl { get; }

    /// <summary>Interleaved RTP channel (RTCP on the next), for TCP.</summary>
    public int? Channel { get; init; }

    /// <summary>Our UDP sockets, for UDP.</summary>
    public RtspUdpPortPair? Udp { get; init; }

    public IPEndPoint? ClientRtp { get; init; }

    public IPEndPoint? ClientRtcp { get; init; }

    public bool IsUdp => Udp is not null;

    /// <summary>RTP timestamp and wall clock of the last frame sent, for sender reports.</summary>
    public uint LastRtpTimestamp { get; private set; }

    public long LastWallClockUnixMs { get; private set; }

    public bool HasSent { get; private set; }

    /// <summary>The RTP timestamp of the first frame sent, or null (for RTP-Info).</summary>
    public uint? FirstRtpTimestamp { get; private set; }

    public void OnFrameSent(MediaFrame frame)
    {
        LastRtpTimestamp = Packetizer.TimestampOf(frame.Pts);
        LastWallClockUnixMs = frame.WallClockUnixMs;
        FirstRtpTimestamp ??= LastRtpTimestamp;
        HasSent = true;
    }

    /// <summary>Writes a sender report without report blocks; 0 before the first frame.</summary>
    public int WriteSenderReport(Span<byte> destination)
    {
        if (!HasSent)
        {
            return 0;
        }

        var ntp = RtcpSenderReport.ToNtp(DateTimeOffset.FromUnixTimeMilliseconds(LastWallClockUnixMs));
        var report = new RtcpSenderReport(Packetizer.Ssrc, ntp, LastRtpTimestamp, unchecked((uint)Packetizer.Packets),
            unchecked((uint)Packetizer.PayloadOctets));
        return report.WriteTo(destination);
    }

    /// <summary>Sends one RTP packet over UDP; a failed send is a lost packet, as on the wire.</summary>
    public bool TrySendUdp(ReadOnlySpan<byte> packet, bool rtcp)
    {
        try
        {
            var socket = rtcp ? Udp!.Rtcp : Udp!.Rtp;
            socket.SendTo(packet, SocketFlags.None, rtcp ? ClientRtcp! : ClientRtp!);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => Udp?.Dispose();
}
