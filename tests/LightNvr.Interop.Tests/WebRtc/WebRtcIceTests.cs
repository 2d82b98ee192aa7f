using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LightNvr.Config;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live.WebRtc;
using LightNvr.Media.WebRtc;
using LightNvr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// The WebRTC server's ICE transport against a GStreamer camera (docs/webrtc.md "ICE"): every viewer on the one UDP
/// port <c>webrtc_listen_port</c> (demultiplexed by ufrag, then by address; strays dropped and counted), the fallback
/// to ephemeral ports when the port is taken, a server-reflexive candidate learnt from a real STUN server (coturn's
/// <c>turnserver</c>, Debian), ICE-TCP (RFC 6544: a scripted client and chromium offered only the TCP candidate) and
/// consent expiry (RFC 7675: a peer that stops checking is dropped and everything it held is freed).
/// </summary>
public sealed class WebRtcIceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Viewers_share_the_fixed_udp_port_and_strays_are_dropped()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Gop = 30 });
        var port = FreePort.NextUdp();
        // A STUN server that never answers (nothing listens there): the answers must not wait for it.
        var go2rtc = new Go2rtcOptions { WebrtcListenPort = port, StunEnabled = true, StunServer = "127.0.0.1:" + FreePort.NextUdp() };
        await using var server = await LiveHarness.StartAsync(go2rtc, LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
        using var http = server.Client();

        var a = await IceTestPeer.OfferAsync(http);
        var b = await IceTestPeer.OfferAsync(http);
        Assert.Equal(port, a.Server.Port);
        Assert.Equal(port, b.Server.Port);
        Assert.DoesNotContain(a.Candidates, c => c.Contains("srflx", StringComparison.Ordinal));
        var mux = sessions.Udp!;
        Assert.Equal(2, mux.Sessions);

        // Strays from an address no session knows: RTP-, DTLS- and STUN-looking noise, and a check for no session.
        using var stray = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stray.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stray.ReceiveTimeout = 2000;
        var droppedBefore = mux.Dropped;
        var noise = new byte[200];
        for (var i = 0; i < 300; i++)
        {
            RandomNumberGenerator.Fill(noise);
            noise[0] = (byte)((i % 3) switch { 0 => 0x80, 1 => 22, _ => 0 }); // RTP, DTLS handshake, "STUN" (bad cookie)
            stray.SendTo(noise, new IPEndPoint(IPAddress.Loopback, port));
        }

        // The burst can overflow the socket's kernel queue on a loaded box (the kernel drops, as for any UDP): the
        // check is retransmitted like an ICE agent's (RFC 8445 §14.3) until an answer comes.
        var check = new byte[256];
        var n = StunMessage.WriteBindingRequest(check, RandomNumberGenerator.GetBytes(12), "nobody:" + a.ClientUfrag,
            Encoding.UTF8.GetBytes("any-password"), useCandidate: true);
        var reply = new byte[256];
        var got = 0;
        for (var attempt = 0; attempt < 5 && got == 0; attempt++)
        {
            stray.SendTo(check.AsSpan(0, n), new IPEndPoint(IPAddress.Loopback, port));
            try
            {
                got = stray.Receive(reply);
            }
            catch (SocketException)
            {
                output.WriteLine($"no 401 yet: port {mux.Stats} (received, errors, running), dropped {mux.Dropped}");
            }
        }

        Assert.True(got > 0, "a check for no session is answered");
        // Everything that reached the port so far came from the stray: each datagram dropped and counted, or a 401.
        var reached = mux.Stats.Received;
        var strays = mux.Dropped - droppedBefore;
        Assert.Equal(reached, strays + mux.UnknownChecks);
        Assert.True(strays >= 100, $"strays reached the port's thread: {strays}");

        Assert.True(StunMessage.TryParse(reply.AsSpan(0, got), out var error) && error!.Type == StunMessage.BindingError,
            "a check for no session is answered 401");

        Assert.True(a.Check(), "peer a's check answered");
        Assert.True(b.Check(), "peer b's check answered");
        var keysA = a.Handshake();
        var keysB = b.Handshake();
        var srtpA = a.ReceiveSrtp(keysA, 30, TimeSpan.FromSeconds(20));
        var srtpB = b.ReceiveSrtp(keysB, 30, TimeSpan.FromSeconds(20));
        output.WriteLine($"port {port}: SRTP a {srtpA}, b {srtpB}; strays dropped {strays} of 300 sent (the rest by the kernel's queue), unknown checks {mux.UnknownChecks}");
        Assert.True(srtpA >= 30 && srtpB >= 30, $"each peer decrypts its own SRTP ({srtpA}, {srtpB})");
        Assert.Equal(2, sessions.All().Count(s => s.Connected && s.Transport == "udp"));
        Assert.True(mux.UnknownChecks >= 1);

        await a.DisposeAsync(); // WHEP DELETE
        await b.DisposeAsync();
        await WaitUntilAsync(() => mux.Sessions == 0 && sessions.Count == 0, TimeSpan.FromSeconds(10), "sessions unregistered");
        await WaitUntilAsync(() => server.Consumers.Count == 0, TimeSpan.FromSeconds(10), "hub subscriptions released");
    }

    [Fact]
    public async Task A_taken_port_falls_back_to_an_ephemeral_port_or_refuses_offers()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Gop = 30 });
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Any, 0));
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        await using (var server = await LiveHarness.StartAsync(
                         new Go2rtcOptions { WebrtcListenPort = port, StunEnabled = false }, LiveHarness.Stream("cam", camera)))
        {
            await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
            var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
            using var http = server.Client();
            await using var peer = await IceTestPeer.OfferAsync(http);
            Assert.Null(sessions.Udp);
            Assert.NotEqual(port, peer.Server.Port);
            Assert.True(peer.Check());
            var keys = peer.Handshake();
            Assert.True(peer.ReceiveSrtp(keys, 10, TimeSpan.FromSeconds(20)) >= 10, "plays on its own ephemeral port");
        }

        await using (var server = await LiveHarness.StartAsync(
                         new Go2rtcOptions { WebrtcListenPort = port, WebrtcPortFallback = false, StunEnabled = false },
                         LiveHarness.Stream("cam", camera)))
        {
            await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
            using var http = server.Client();
            var offer = await MinimalOfferAsync(http);
            output.WriteLine(offer.Body);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, offer.Status);
            Assert.Contains($"UDP port {port}", offer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Coturn_gives_the_shared_port_a_server_reflexive_candidate()
    {
        var ip = NonLoopbackIPv4();
        Assert.True(ip is not null, "the test needs a non-loopback IPv4 address to run coturn on");
        var stunPort = FreePort.NextUdp();
        using var coturn = Coturn.Start(ip!, stunPort);
        using var camera = GstCamera.Start(new GstCameraOptions { Gop = 30 });
        var port = FreePort.NextUdp();
        await using var server = await LiveHarness.StartAsync(
            new Go2rtcOptions { WebrtcListenPort = port, StunEnabled = true, StunServer = $"stun:{ip}:{stunPort}" },
            LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
        sessions.StartTransport();
        var mapped = await sessions.Srflx!.FirstMapped.Task.WaitAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"coturn on {ip}:{stunPort} saw the WebRTC port {port} as {mapped}");
        // No NAT here: coturn sees the port from the host's own address, a candidate distinct from the loopback host one.
        Assert.Equal(new IPEndPoint(ip!, port), mapped);

        using var http = server.Client();
        await using var peer = await IceTestPeer.OfferAsync(http);
        output.WriteLine(string.Join("\n", peer.Candidates));
        Assert.Contains(peer.Candidates, c => c.EndsWith($" udp {(100L << 24) + ((65535L - 2) << 8) + 255} {ip} {port} typ srflx raddr 127.0.0.1 rport {port}", StringComparison.Ordinal));
        Assert.True(peer.Check());
        var keys = peer.Handshake();
        Assert.True(peer.ReceiveSrtp(keys, 10, TimeSpan.FromSeconds(20)) >= 10);
    }

    [Fact]
    public async Task A_scripted_peer_plays_over_ice_tcp_and_bad_connections_are_closed()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Gop = 30 });
        var tcpPort = FreePort.Next();
        await using var server = await LiveHarness.StartAsync(
            new Go2rtcOptions { WebrtcListenPort = FreePort.NextUdp(), WebrtcTcpPort = tcpPort, StunEnabled = false },
            LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
        sessions.StartTransport(); // the warm-up does it 2 s after start
        using var http = server.Client();

        // Connections that do not open with a check for a session: garbage, an oversized frame, an unknown ufrag.
        foreach (var first in new[] { new byte[] { 0, 5, 1, 2, 3, 4, 5 }, new byte[] { 0xFF, 0xFF, 1 }, UnknownCheckFrame() })
        {
            using var bad = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await bad.ConnectAsync(new IPEndPoint(IPAddress.Loopback, tcpPort));
            await bad.SendAsync(first);
            var buffer = new byte[16];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                Assert.Equal(0, await bad.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)); // closed by the server
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // closed with our bytes unread: a reset, also a close
            }
        }

        Assert.Equal(3, sessions.Tcp!.Refused);

        await using var peer = await IceTestPeer.OfferAsync(http, tcp: true);
        Assert.Equal(tcpPort, peer.Server.Port);
        Assert.Contains(peer.Candidates, c => c.Contains($" tcp ", StringComparison.Ordinal) && c.EndsWith($"127.0.0.1 {tcpPort} typ host tcptype passive", StringComparison.Ordinal));
        Assert.True(peer.Check(), "check over TCP answered");
        var keys = peer.Handshake();
        var srtp = peer.ReceiveSrtp(keys, 60, TimeSpan.FromSeconds(20));
        output.WriteLine($"ICE-TCP: {srtp} SRTP packets decrypted");
        Assert.True(srtp >= 60, $"decrypted {srtp} SRTP packets over TCP");
        var session = Assert.Single(sessions.All());
        Assert.Equal("tcp", session.Transport);
        Assert.Equal(1, sessions.Tcp.Accepted);
    }

    [Fact]
    public async Task Chromium_plays_over_ice_tcp_when_offered_only_the_tcp_candidate()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Gop = 60 });
        await using var server = await LiveHarness.StartAsync(
            new Go2rtcOptions { WebrtcListenPort = FreePort.NextUdp(), WebrtcTcpPort = FreePort.Next(), StunEnabled = false },
            LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
        var result = await BrowserPlaybackTests.PlayAsync(server, "cam", "whep-tcp", seconds: 6);
        output.WriteLine(result.ToJsonString());

        Assert.Null((string?)result["error"]);
        Assert.Equal(640, (int)result["width"]!);
        var stats = result["stats"]!.AsArray();
        var first = (long)stats[0]![1]!;
        var last = (long)stats[^1]![1]!;
        Assert.True(last - first >= 40, $"framesDecoded grew only from {first} to {last}");
        Assert.True(sessions.Tcp!.Accepted >= 1, "chromium connected over ICE-TCP");
        Assert.Equal(0, sessions.Udp!.UnknownChecks);
    }

    [Fact]
    public async Task Webrtc_host_addresses_lists_the_advertised_interfaces_and_addresses()
    {
        var ip = NonLoopbackIPv4();
        Assert.True(ip is not null, "the test needs a non-loopback IPv4 address");
        using var camera = GstCamera.Start(new GstCameraOptions { Gop = 30 });
        var port = FreePort.NextUdp();
        await using var server = await LiveHarness.StartAsync(
            new Go2rtcOptions { WebrtcListenPort = port, StunEnabled = false, WebrtcHostAddresses = $"lo, {ip}, nosuchif0" },
            LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        using var http = server.Client();
        await using var peer = await IceTestPeer.OfferAsync(http);
        output.WriteLine(string.Join("\n", peer.Candidates));
        var addresses = peer.Candidates.Select(c => c.Split(' ')[4]).ToList();
        Assert.Contains("127.0.0.1", addresses); // interface lo
        Assert.Contains(ip!.ToString(), addresses); // an address
        Assert.All(peer.Candidates, c => Assert.Contains($" {port} typ host", c, StringComparison.Ordinal));
        Assert.True(peer.Check());
        var keys = peer.Handshake();
        Assert.True(peer.ReceiveSrtp(keys, 10, TimeSpan.FromSeconds(20)) >= 10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_peer_that_stops_checking_loses_its_session_after_the_consent_timeout(bool tcp)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Gop = 30 });
        var tcpPort = FreePort.Next();
        await using var server = await LiveHarness.StartAsync(
            new Go2rtcOptions { WebrtcListenPort = FreePort.NextUdp(), WebrtcTcpPort = tcpPort, StunEnabled = false },
            LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
        sessions.ConsentTimeout = TimeSpan.FromSeconds(3);
        using var http = server.Client();

        var peer = await IceTestPeer.OfferAsync(http, tcp);
        Assert.True(peer.Check());
        var keys = peer.Handshake();
        Assert.True(peer.ReceiveSrtp(keys, 10, TimeSpan.FromSeconds(20)) >= 10);
        var session = Assert.Single(sessions.All());

        // Checks every second keep consent for longer than the timeout...
        for (var i = 0; i < 5; i++)
        {
            Assert.True(peer.Check(useCandidate: false), "consent check answered");
            Assert.False(session.Completion.IsCompleted, "a peer that keeps checking keeps its session");
            await Task.Delay(1000);
        }

        // ...then the peer goes silent (a closed laptop): the session ends and lets go of everything it held.
        var silent = Stopwatch.StartNew();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"{(tcp ? "tcp" : "udp")}: ended {silent.ElapsedMilliseconds} ms after the last check: {session.EndReason}");
        Assert.Contains("consent expired", session.EndReason, StringComparison.Ordinal);
        await WaitUntilAsync(() => sessions.Count == 0 && sessions.Udp!.Sessions == 0, TimeSpan.FromSeconds(5), "session removed");
        await WaitUntilAsync(() => server.Consumers.Count == 0, TimeSpan.FromSeconds(5), "hub subscription released");
        if (tcp)
        {
            Assert.True(peer.ServerClosed(TimeSpan.FromSeconds(5)), "the ICE-TCP connection is closed");
            await WaitUntilAsync(() => sessions.Tcp!.Connections == 0, TimeSpan.FromSeconds(5), "TCP connection freed");
        }
        else
        {
            Assert.False(peer.Check(), "checks for the ended session are no longer answered with success");
        }

        await peer.DisposeAsync();
    }

    private static async Task<(HttpStatusCode Status, string Body)> MinimalOfferAsync(HttpClient http)
    {
        var identity = DtlsIdentity.CreateEphemeral(TimeProvider.System);
        var offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n" +
            $"a=ice-ufrag:abcd\r\na=ice-pwd:{RandomNumberGenerator.GetHexString(24)}\r\na=fingerprint:{identity.Fingerprint}\r\n" +
            "a=setup:actpass\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 H264/90000\r\n" +
            "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
        using var content = new StringContent(offer, Encoding.UTF8, "application/sdp");
        using var response = await http.PostAsync("/go2rtc/api/webrtc?src=cam", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] UnknownCheckFrame()
    {
        var buffer = new byte[258];
        var n = StunMessage.WriteBindingRequest(buffer.AsSpan(2), RandomNumberGenerator.GetBytes(12), "nobody:x",
            Encoding.UTF8.GetBytes("pw"), useCandidate: true);
        buffer[0] = (byte)(n >> 8);
        buffer[1] = (byte)n;
        return buffer[..(n + 2)];
    }

    private static IPAddress? NonLoopbackIPv4() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out waiting: " + what);
            await Task.Delay(100);
        }
    }

    /// <summary>Debian coturn's <c>turnserver</c> as a plain STUN server (<c>--stun-only</c>) on one address and port.</summary>
    private sealed class Coturn : IDisposable
    {
        private readonly Process _process;
        private readonly TempFolder _dir = new("coturn");

        private Coturn(IPAddress ip, int port)
        {
            var psi = new ProcessStartInfo("turnserver")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
                     {
                         "-n", "--stun-only", $"--listening-ip={ip}", $"--listening-port={port}", "--no-cli", "--no-tls",
                         "--no-dtls", "--log-file=stdout", $"--pidfile={Path.Combine(_dir.Path, "turn.pid")}",
                         $"--db={Path.Combine(_dir.Path, "turndb")}",
                     })
            {
                psi.ArgumentList.Add(arg);
            }

            _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start turnserver (apt install coturn)");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public static Coturn Start(IPAddress ip, int port) => new(ip, port);

        public void Dispose()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
            _dir.Dispose();
        }
    }
}
