using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live.WebRtc;
using LightNvr.Media.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// WebRTC peers other than chromium against a GStreamer camera (H.264, 4 s GOP, PCMU):
/// <list type="bullet">
/// <item>the independent cross-check: 20 npm <c>node-datachannel</c> 0.33.4 peers (libdatachannel's own ICE, DTLS and
/// SRTP; tests/browser/ndc_viewers.mjs, loopback only) all connect and receive the camera's video (a keyframe) and
/// audio, over one camera connection;</item>
/// <item>bad input from a peer written here (real UDP, STUN from <see cref="StunMessage"/>, DTLS client on
/// BouncyCastle): STUN floods with a wrong MESSAGE-INTEGRITY or an unknown ufrag get 401 and move nothing, DTLS
/// garbage is dropped, a client certificate that is not the offer's fingerprint ends the session, and after all of
/// it a correct peer still completes ICE + DTLS and receives SRTP that decrypts.</item>
/// </list>
/// </summary>
public sealed class WebRtcPeerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_node_datachannel_peers_receive_the_camera_over_one_camera_connection()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Gop = 60 });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var dir = Path.Combine(RepoPaths.Root, "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "node-datachannel")),
            "tests/browser/node_modules missing: run `npm ci` in tests/browser (make test-deps)");
        var (exit, stdout, stderr) = await MediaProbe.RunAsync("node", TimeSpan.FromSeconds(90),
            Path.Combine(dir, "ndc_viewers.mjs"), server.BaseAddress.ToString().TrimEnd('/'), "cam", LiveHarness.User,
            LiveHarness.Password, "20", "8");
        output.WriteLine(stdout + stderr);
        Assert.True(exit == 0, stderr);
        var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(20, (int)result["connected"]!);
        Assert.Equal(20, (int)result["withKeyframe"]!);
        Assert.True((int)result["packetsMin"]! >= 50, "every peer got video packets: " + result.ToJsonString());
        Assert.True((int)result["audioPacketsMin"]! >= 50, "every peer got PCMU packets (50/s): " + result.ToJsonString());
        Assert.Equal(1, MediaProbe.ConnectionsTo(camera.Port));
    }

    [Fact]
    public async Task Bad_peers_are_refused_and_a_good_one_still_plays()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Gop = 60 });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var sessions = server.App.Services.GetRequiredService<WebRtcSessions>();
        using var http = server.Client();

        // 1. A client certificate that is not the one the offer's fingerprint names: bad_certificate, session ends.
        var announced = DtlsIdentity.CreateEphemeral(TimeProvider.System);
        var other = DtlsIdentity.CreateEphemeral(TimeProvider.System);
        await using (var wrong = await Peer.OfferAsync(http, announced))
        {
            var session = Assert.Single(sessions.All());
            Assert.True(wrong.Check(useCandidate: true), "ICE check answered");
            var failure = Record.Exception(() => wrong.Handshake(other));
            Assert.IsAssignableFrom<TlsException>(failure);
            await session.Completion.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Contains("DTLS handshake failed", session.EndReason);
        }

        // 2. STUN floods, spoofed consent, DTLS garbage; then the same peer completes the handshake and plays.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var peer = await Peer.OfferAsync(http, announced);
        Assert.True(peer.Check(useCandidate: true));
        var rejected = peer.Flood(2000, wrongIntegrity: true);
        Assert.True(rejected > 0, "wrong MESSAGE-INTEGRITY answered 401");
        Assert.True(peer.Flood(2000, wrongIntegrity: false, wrongUfrag: true) > 0, "unknown ufrag answered 401");
        using (var spoof = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            // Spoofed consent from another address, nominating itself: a wrong key, so it must not become the peer.
            spoof.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var buffer = new byte[256];
            var n = StunMessage.WriteBindingRequest(buffer, RandomNumberGenerator.GetBytes(12),
                peer.ServerUfrag + ":" + peer.ClientUfrag, Encoding.UTF8.GetBytes("not-the-password"), useCandidate: true);
            for (var i = 0; i < 200; i++)
            {
                spoof.SendTo(buffer.AsSpan(0, n), peer.Server);
            }
        }

        var garbage = new byte[300];
        for (var i = 0; i < 500; i++)
        {
            RandomNumberGenerator.Fill(garbage);
            garbage[0] = (byte)(20 + (i % 44)); // DTLS's first-byte range (RFC 7983), then noise
            peer.Send(garbage);
        }

        var answered = peer.Check(useCandidate: true);
        output.WriteLine($"after the floods: {sessions.Count} session(s) ({string.Join(", ", sessions.All().Select(s => s.EndReason ?? "running"))}), UDP port {sessions.Udp?.Stats}, dropped {sessions.Udp?.Dropped}");
        Assert.True(answered, "checks still answered after the floods");
        var keys = peer.Handshake(announced);
        var plain = peer.ReceiveSrtp(keys, packets: 30, TimeSpan.FromSeconds(20));
        Assert.True(plain >= 30, $"decrypted {plain} SRTP packets");
        Assert.Single(sessions.All(), s => s.Connected);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed heap {before / 1e6:0.0} MB → {after / 1e6:0.0} MB across the floods");
        Assert.True(after - before < 64_000_000, $"heap grew {(after - before) / 1e6:0.0} MB");
    }

    /// <summary>A minimal WebRTC client: an offer, ICE checks from one UDP socket, a DTLS client over it, SRTP in.</summary>
    internal sealed class Peer : IAsyncDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly HttpClient _http;
        private string? _location;

        private Peer(HttpClient http)
        {
            _http = http;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _socket.ReceiveTimeout = 2000;
        }

        public string ClientUfrag { get; } = "cli" + RandomNumberGenerator.GetHexString(5);
        public string ClientPwd { get; } = RandomNumberGenerator.GetHexString(24);
        public string ServerUfrag { get; private set; } = "";
        public byte[] ServerPwd { get; private set; } = [];
        public IPEndPoint Server { get; private set; } = new(IPAddress.Loopback, 0);

        public static async Task<Peer> OfferAsync(HttpClient http, DtlsIdentity identity)
        {
            var peer = new Peer(http);
            var offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
                "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n" +
                $"a=ice-ufrag:{peer.ClientUfrag}\r\na=ice-pwd:{peer.ClientPwd}\r\na=fingerprint:{identity.Fingerprint}\r\n" +
                "a=setup:actpass\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 H264/90000\r\n" +
                "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n" +
                "a=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n";
            using var content = new StringContent(offer, Encoding.UTF8, "application/sdp");
            using var response = await http.PostAsync("/go2rtc/api/webrtc?src=cam", content);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, answer);
            peer._location = response.Headers.Location?.ToString();
            foreach (var line in answer.Split("\r\n"))
            {
                if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
                {
                    peer.ServerUfrag = line[12..];
                }
                else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
                {
                    peer.ServerPwd = Encoding.UTF8.GetBytes(line[10..]);
                }
                else if (line.StartsWith("a=candidate:", StringComparison.Ordinal) && line.Contains(" 127.0.0.1 ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    peer.Server = new IPEndPoint(IPAddress.Loopback, int.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            Assert.NotEqual(0, peer.Server.Port);
            return peer;
        }

        public void Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, Server);

        /// <summary>One valid Binding request; true when a success response came back.</summary>
        public bool Check(bool useCandidate)
        {
            var buffer = new byte[512];
            var id = RandomNumberGenerator.GetBytes(12);
            var n = StunMessage.WriteBindingRequest(buffer, id, ServerUfrag + ":" + ClientUfrag, ServerPwd, useCandidate);
            var request = buffer[..n];
            Send(request);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var resend = DateTime.UtcNow.AddMilliseconds(500);
            while (DateTime.UtcNow < deadline)
            {
                if (DateTime.UtcNow > resend)
                {
                    // Retransmitted as an ICE agent does (RFC 8445 §14.3): after a flood the server port's kernel
                    // queue (shared by every viewer) may have dropped it.
                    Send(request);
                    resend = DateTime.UtcNow.AddMilliseconds(500);
                }

                var received = TryReceive(buffer);
                if (received > 0 && StunMessage.TryParse(buffer.AsSpan(0, received), out var m) &&
                    m!.TransactionId.AsSpan().SequenceEqual(id))
                {
                    return m.Type == StunMessage.BindingSuccess && m.CheckIntegrity(buffer.AsSpan(0, received), ServerPwd);
                }
            }

            return false;
        }

        /// <summary>Sends <paramref name="count"/> bad checks, then counts the 401 answers that came back.</summary>
        public int Flood(int count, bool wrongIntegrity, bool wrongUfrag = false)
        {
            var buffer = new byte[512];
            var key = wrongIntegrity ? Encoding.UTF8.GetBytes("wrong-password-wrong-password") : ServerPwd;
            var user = (wrongUfrag ? "nobody" : ServerUfrag) + ":" + ClientUfrag;
            for (var i = 0; i < count; i++)
            {
                var n = StunMessage.WriteBindingRequest(buffer, RandomNumberGenerator.GetBytes(12), user, key, useCandidate: true);
                Send(buffer.AsSpan(0, n));
            }

            var errors = 0;
            _socket.ReceiveTimeout = 500;
            int received;
            while ((received = TryReceive(buffer)) > 0)
            {
                if (StunMessage.TryParse(buffer.AsSpan(0, received), out var m) && m!.Type == StunMessage.BindingError)
                {
                    errors++;
                }
                else if (m?.Type == StunMessage.BindingSuccess)
                {
                    return -1; // a bad check was accepted
                }
            }

            _socket.ReceiveTimeout = 2000;
            return errors;
        }

        public byte[] Handshake(DtlsIdentity identity)
        {
            var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), identity, null);
            new DtlsClientProtocol().Connect(client, new UdpTransport(this));
            return client.KeyingMaterial!;
        }

        /// <summary>Receives SRTP from the server and counts the packets that decrypt with the server's key.</summary>
        public int ReceiveSrtp(byte[] keys, int packets, TimeSpan timeout)
        {
            using var srtp = new SrtpContext(keys.AsSpan(16, 16), keys.AsSpan(46, 14));
            var buffer = new byte[2000];
            var plain = new byte[2000];
            var ok = 0;
            var deadline = DateTime.UtcNow + timeout;
            while (ok < packets && DateTime.UtcNow < deadline)
            {
                var n = TryReceive(buffer);
                if (n > 12 && buffer[0] is >= 128 and <= 191 && buffer[1] is < 192 or > 223 &&
                    srtp.UnprotectRtp(buffer.AsSpan(0, n), 0, plain) > 0)
                {
                    ok++;
                }
            }

            return ok;
        }

        private int TryReceive(byte[] buffer)
        {
            try
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                return _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                return -1;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_location is not null)
            {
                await _http.DeleteAsync(_location);
            }

            _socket.Dispose();
        }

        private sealed class UdpTransport(Peer peer) : DatagramTransport
        {
            public int GetReceiveLimit() => 1500;

            public int GetSendLimit() => 1200;

            public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

            public int Receive(Span<byte> buffer, int waitMillis)
            {
                var deadline = DateTime.UtcNow.AddMilliseconds(waitMillis);
                var data = new byte[1500];
                while (DateTime.UtcNow < deadline)
                {
                    if (!peer._socket.Poll(Math.Max(1, (int)(deadline - DateTime.UtcNow).TotalMilliseconds) * 1000, SelectMode.SelectRead))
                    {
                        return -1;
                    }

                    var n = peer.TryReceive(data);
                    if (n > 0 && data[0] is >= 20 and <= 63)
                    {
                        data.AsSpan(0, Math.Min(n, buffer.Length)).CopyTo(buffer);
                        return Math.Min(n, buffer.Length);
                    }
                }

                return -1;
            }

            public void Send(byte[] buf, int off, int len) => peer.Send(buf.AsSpan(off, len));

            public void Send(ReadOnlySpan<byte> buffer) => peer.Send(buffer);

            public void Close()
            {
            }
        }
    }
}
