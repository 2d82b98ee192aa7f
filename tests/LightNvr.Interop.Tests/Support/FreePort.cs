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
}
