using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LightNvr.Live.WebRtc;
using LightNvr.Media.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// A scripted WebRTC client for the ICE transport tests: a WHEP offer, ICE checks, a BouncyCastle DTLS client and SRTP
/// in, over UDP from one loopback socket or over ICE-TCP (one connection, RFC 4571 2-byte length framing).
/// </summary>
internal sealed class IceTestPeer : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly bool _tcp;
    private Socket _socket = null!;
    private string? _location;

    private IceTestPeer(HttpClient http, bool tcp)
    {
        _http = http;
        _tcp = tcp;
    }

    public string ClientUfrag { get; } = "cli" + RandomNumberGenerator.GetHexString(5);
    public string ClientPwd { get; } = RandomNumberGenerator.GetHexString(24);
    public string ServerUfrag { get; private set; } = "";
    public byte[] ServerPwd { get; private set; } = [];
    public string Answer { get; private set; } = "";
    public DtlsIdentity Identity { get; } = DtlsIdentity.CreateEphemeral(TimeProvider.System);

    /// <summary>The answer's loopback candidate for the transport used (UDP host, or TCP passive).</summary>
    public IPEndPoint Server { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The <c>a=candidate</c> lines of the answer.</summary>
    public IReadOnlyList<string> Candidates => [.. Answer.Split("\r\n").Where(l => l.StartsWith("a=candidate:", StringComparison.Ordinal))];

    public static async Task<IceTestPeer> OfferAsync(HttpClient http, bool tcp = false, string stream = "cam")
    {
        var peer = new IceTestPeer(http, tcp);
        var offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n" +
            $"a=ice-ufrag:{peer.ClientUfrag}\r\na=ice-pwd:{peer.ClientPwd}\r\na=fingerprint:{peer.Identity.Fingerprint}\r\n" +
            "a=setup:actpass\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 H264/90000\r\n" +
            "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
        using var content = new StringContent(offer, Encoding.UTF8, "application/sdp");
        using var response = await http.PostAsync($"/go2rtc/api/webrtc?src={stream}", content);
        peer.Answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, peer.Answer);
        peer._location = response.Headers.Location?.ToString();
        foreach (var line in peer.Answer.Split("\r\n"))
        {
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                peer.ServerUfrag = line[12..];
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                peer.ServerPwd = Encoding.UTF8.GetBytes(line[10..]);
            }
            else if (line.StartsWith("a=candidate:", StringComparison.Ordinal) && line.Contains(" 127.0.0.1 ", StringComparison.Ordinal) &&
                     line.Split(' ')[2] == (tcp ? "tcp" : "udp") && line.Contains("typ host", StringComparison.Ordinal))
            {
                peer.Server = new IPEndPoint(IPAddress.Loopback, int.Parse(line.Split(' ')[5], CultureInfo.InvariantCulture));
            }
        }

        Assert.True(peer.Server.Port != 0, "no loopback candidate in the answer:\n" + peer.Answer);
        if (tcp)
        {
            peer._socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await peer._socket.ConnectAsync(peer.Server);
        }
        else
        {
            peer._socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            peer._socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        return peer;
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (_tcp)
        {
            var frame = new byte[datagram.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)datagram.Length);
            datagram.CopyTo(frame.AsSpan(2));
            _socket.Send(frame);
        }
        else
        {
            _socket.SendTo(datagram, Server);
        }
    }

    /// <summary>A datagram (or frame) within <paramref name="waitMillis"/>; -1 on timeout, 0 when the TCP connection closed.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!_socket.Poll(Math.Max(1, waitMillis) * 1000, SelectMode.SelectRead))
        {
            return -1;
        }

        if (!_tcp)
        {
            return _socket.Receive(buffer);
        }

        Span<byte> header = stackalloc byte[2];
        if (!ReadExactly(header))
        {
            return 0;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        var frame = new byte[length];
        if (!ReadExactly(frame))
        {
            return 0;
        }

        frame.AsSpan(0, Math.Min(length, buffer.Length)).CopyTo(buffer);
        return Math.Min(length, buffer.Length);
    }

    /// <summary>One valid Binding request; true when an authenticated success response came back.</summary>
    public bool Check(bool useCandidate = true)
    {
        var buffer = new byte[1500];
        var id = RandomNumberGenerator.GetBytes(12);
        var n = StunMessage.WriteBindingRequest(buffer, id, ServerUfrag + ":" + ClientUfrag, ServerPwd, useCandidate);
        var request = buffer[..n];
        Send(request);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var resend = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline)
        {
            if (!_tcp && DateTime.UtcNow > resend)
            {
                Send(request); // as an ICE agent retransmits (RFC 8445 §14.3)
                resend = DateTime.UtcNow.AddSeconds(1);
            }

            var received = Receive(buffer, 500);
            if (received == 0)
            {
                return false;
            }

            if (received > 0 && StunMessage.TryParse(buffer.AsSpan(0, received), out var m) && m!.TransactionId.AsSpan().SequenceEqual(id))
            {
                return m.Type == StunMessage.BindingSuccess && m.CheckIntegrity(buffer.AsSpan(0, received), ServerPwd);
            }
        }

        return false;
    }

    /// <summary>The DTLS client handshake with the offer's certificate; the SRTP keying material.</summary>
    public byte[] Handshake()
    {
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), Identity, null);
        new DtlsClientProtocol().Connect(client, new Transport(this));
        return client.KeyingMaterial!;
    }

    /// <summary>Counts SRTP packets from the server that decrypt with its key, up to <paramref name="packets"/>.</summary>
    public int ReceiveSrtp(byte[] keys, int packets, TimeSpan timeout)
    {
        using var srtp = new SrtpContext(keys.AsSpan(16, 16), keys.AsSpan(46, 14));
        var buffer = new byte[2000];
        var plain = new byte[2000];
        var ok = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (ok < packets && DateTime.UtcNow < deadline)
        {
            var n = Receive(buffer, 500);
            if (n == 0)
            {
                break;
            }

            if (n > 12 && buffer[0] is >= 128 and <= 191 && buffer[1] is < 192 or > 223 &&
                srtp.UnprotectRtp(buffer.AsSpan(0, n), 0, plain) > 0)
            {
                ok++;
            }
        }

        return ok;
    }

    /// <summary>TCP: true once the server closed the connection (reads drain what was in flight).</summary>
    public bool ServerClosed(TimeSpan timeout)
    {
        var buffer = new byte[2000];
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (Receive(buffer, 500) == 0)
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_location is not null)
        {
            await _http.DeleteAsync(_location);
        }

        _socket?.Dispose();
    }

    private bool ReadExactly(Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = _socket.Receive(buffer[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private sealed class Transport(IceTestPeer peer) : DatagramTransport
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
                var n = peer.Receive(data, Math.Max(1, (int)(deadline - DateTime.UtcNow).TotalMilliseconds));
                if (n == 0)
                {
                    throw new TlsFatalAlert(AlertDescription.close_notify);
                }

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
