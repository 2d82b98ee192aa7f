using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// The sessions' transport: the shared UDP port (<c>[go2rtc] webrtc_listen_port</c>, 8555), its server-reflexive
/// address (<c>stun_enabled</c> + <c>stun_server</c>) and the ICE-TCP port (<c>webrtc_tcp_port</c>), opened on first
/// use (the warm-up opens them at start). When the UDP port is taken, <c>webrtc_port_fallback</c> gives each viewer
/// an ephemeral port of its own (with a warning) or refuses offers (503).
/// </summary>
public sealed partial class WebRtcSessions
{
    private readonly Lock _transportLock = new();
    private bool _transportStarted;
    private IceUdpMux? _udp;
    private string? _udpFailure;
    private SrflxProbe? _srflx;
    private IceTcpListener? _tcp;

    /// <summary>RFC 7675 consent timeout of new sessions (30 s; tests shorten it).</summary>
    internal TimeSpan ConsentTimeout { get; set; } = WebRtcSession.DefaultConsentTimeout;

    /// <summary>The shared UDP port, null when not open (ephemeral ports per viewer).</summary>
    internal IceUdpMux? Udp => _udp;

    internal SrflxProbe? Srflx => _srflx;

    internal IceTcpListener? Tcp => _tcp;

    /// <summary>Opens the shared UDP port, the STUN probe and the ICE-TCP listener once; later calls do nothing.</summary>
    internal void StartTransport()
    {
        lock (_transportLock)
        {
            if (_transportStarted)
            {
                return;
            }

            _transportStarted = true;
            var g = Config.Go2rtc;
            if (g.WebrtcListenPort > 0)
            {
                try
                {
                    _udp = IceUdpMux.Open(g.WebrtcListenPort, Loggers.CreateLogger<IceUdpMux>());
                    LogUdpListening(_udp.Port);
                }
                catch (SocketException e)
                {
                    _udpFailure = $"UDP port {g.WebrtcListenPort}: {e.Message}";
                    if (g.WebrtcPortFallback)
                    {
                        LogUdpFallback(g.WebrtcListenPort, e.Message);
                    }
                    else
                    {
                        LogUdpFailed(g.WebrtcListenPort, e.Message);
                    }
                }
            }

            if (_udp is not null && g.StunEnabled && g.StunServer.Trim().Length > 0)
            {
                _srflx = new SrflxProbe(g.StunServer, _udp, Time, Loggers.CreateLogger<SrflxProbe>());
            }

            if (g.WebrtcTcpPort > 0)
            {
                try
                {
                    _tcp = IceTcpListener.Open(g.WebrtcTcpPort, Loggers.CreateLogger<IceTcpListener>());
                    LogTcpListening(_tcp.Port);
                }
                catch (SocketException e)
                {
                    LogTcpFailed(g.WebrtcTcpPort, e.Message);
                }
            }
        }
    }

    private void StopTransport()
    {
        lock (_transportLock)
        {
            _srflx?.Dispose();
            _tcp?.Dispose();
            _udp?.Dispose();
            (_srflx, _tcp, _udp) = (null, null, null);
        }
    }

    /// <summary>
    /// Registers a new session's inbox with the shared UDP port and the ICE-TCP listener, or gives it a UDP socket of
    /// its own (no fixed port, or it was taken and fallback is on). <see cref="SocketException"/> when neither can be had.
    /// </summary>
    private IceRegistration Attach(IceInbox inbox)
    {
        StartTransport();
        IceUdpMux? own = null;
        var udp = _udp;
        if (udp is null)
        {
            if (Config.Go2rtc.WebrtcListenPort > 0 && !Config.Go2rtc.WebrtcPortFallback)
            {
                throw new SocketException((int)SocketError.AddressAlreadyInUse, _udpFailure ?? "the WebRTC UDP port is not open");
            }

            udp = own = IceUdpMux.Open(0, Loggers.CreateLogger<IceUdpMux>());
        }

        udp.Register(inbox);
        _tcp?.Register(inbox);
        return new IceRegistration(inbox, udp, _tcp, own);
    }

    /// <summary>
    /// The host candidates' addresses: <c>webrtc_host_addresses</c> (addresses, and every address of the interfaces
    /// named, IPv6 link-local left out), or <paramref name="reached"/> (the address the client reached the web server
    /// on) when that key is empty or names nothing present.
    /// </summary>
    private List<IPAddress> HostAddresses(IPAddress reached)
    {
        var hosts = new List<IPAddress>();
        foreach (var item in Config.Go2rtc.WebrtcHostAddresses.Split(',',
                     StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(item, out var ip))
            {
                hosts.Add(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
            }
            else
            {
                hosts.AddRange(NetworkInterface.GetAllNetworkInterfaces().Where(n => n.Name == item)
                    .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
                    .Where(a => !a.IsIPv6LinkLocal));
            }
        }

        hosts = [.. hosts.Distinct()];
        if (hosts.Count == 0)
        {
            hosts.Add(reached);
        }

        return hosts;
    }

    /// <summary>Server-reflexive (when learnt and not one of the hosts) and ICE-TCP candidates for a new answer.</summary>
    private List<IceCandidate> ExtraCandidates(IceRegistration transport, List<IPAddress> hosts)
    {
        var extra = new List<IceCandidate>();
        if (transport.Own is null && _srflx?.Mapped is { } mapped &&
            !hosts.Any(h => h.Equals(mapped.Address) && mapped.Port == transport.UdpPort))
        {
            extra.Add(new IceCandidate(mapped, IceCandidateKind.ServerReflexive, new IPEndPoint(hosts[0], transport.UdpPort)));
        }

        if (transport.Tcp is { } tcp)
        {
            extra.AddRange(hosts.Select(h => new IceCandidate(new IPEndPoint(h, tcp.Port), IceCandidateKind.TcpPassive)));
        }

        return extra;
    }

    /// <summary>A session's place in the demultiplexers; disposing it (at the session's end) removes it.</summary>
    private sealed class IceRegistration(IceInbox inbox, IceUdpMux udp, IceTcpListener? tcp, IceUdpMux? own) : IDisposable
    {
        public int UdpPort => udp.Port;

        public IceTcpListener? Tcp => tcp;

        /// <summary>The session's own UDP socket when the shared port is not used.</summary>
        public IceUdpMux? Own => own;

        public void Dispose()
        {
            udp.Unregister(inbox);
            tcp?.Unregister(inbox);
            own?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC: UDP port {Port} open for every viewer")]
    private partial void LogUdpListening(int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC: cannot open UDP port {Port} ({Reason}); each viewer gets an ephemeral UDP port instead (webrtc_port_fallback = true): open the firewall for those or free the port")]
    private partial void LogUdpFallback(int port, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebRTC: cannot open UDP port {Port} ({Reason}); WebRTC offers are refused (webrtc_port_fallback = false)")]
    private partial void LogUdpFailed(int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC: ICE-TCP port {Port} open")]
    private partial void LogTcpListening(int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC: cannot open ICE-TCP port {Port} ({Reason}); answers carry no TCP candidate")]
    private partial void LogTcpFailed(int port, string reason);
}
