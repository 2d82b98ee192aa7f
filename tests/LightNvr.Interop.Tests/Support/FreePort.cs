using System.Net;
using System.Net.Sockets;

namespace LightNvr.Interop.Tests.Support;

/// <summary>A loopback TCP port that was free a moment ago (tests run in parallel with other suites).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A UDP port (all addresses) that was free a moment ago: the WebRTC port of a test server.</summary>
    public static int NextUdp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
