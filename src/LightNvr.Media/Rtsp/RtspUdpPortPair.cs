using System.Net;
using System.Net.Sockets;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Two UDP sockets on consecutive ports, RTP on the even one and RTCP on the next (RFC 3550 §11 and RFC 2326 §12.39
/// <c>client_port</c>), bound on the given local address.
/// </summary>
internal sealed class RtspUdpPortPair : IDisposable
{
    /// <summary>Attempts to find a free even/odd pair before giving up; collisions with other sockets are rare.</summary>
    private const int MaxBindAttempts = 32;

    private RtspUdpPortPair(Socket rtp, Socket rtcp)
    {
        Rtp = rtp;
        Rtcp = rtcp;
    }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    public int RtpPort => ((IPEndPoint)Rtp.LocalEndPoint!).Port;

    public static RtspUdpPortPair Bind(IPAddress local)
    {
        for (var attempt = 0; attempt < MaxBindAttempts; attempt++)
        {
            var rtp = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                // Let the OS pick an ephemeral port, then use it if it is even and the next one is free.
                rtp.Bind(new IPEndPoint(local, 0));
                var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
                if (port % 2 == 0 && port < IPEndPoint.MaxPort)
                {
                    var rtcp = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    try
                    {
                        rtcp.Bind(new IPEndPoint(local, port + 1));
                        rtp.ReceiveBufferSize = 512 * 1024; // like GStreamer's rtspsrc, enough for a burst of a keyframe
                        return new RtspUdpPortPair(rtp, rtcp);
                    }
                    catch (SocketException)
                    {
                        rtcp.Dispose();
                    }
                }
            }
            catch (SocketException)
            {
            }

            rtp.Dispose();
        }

        throw new RtspException("SETUP", "no free UDP port pair for RTP/RTCP");
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
