using Org.BouncyCastle.Tls;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// BouncyCastle's datagram transport over the session's one UDP socket (RFC 7983 demultiplexing). BouncyCastle's
/// blocking <see cref="Receive(Span{byte}, int)"/> is the session's receive loop itself: <paramref name="receive"/>
/// reads the socket on the DTLS thread, answers STUN and takes SRTCP on the way, and returns only DTLS records from the
/// ICE peer. So no datagram waits for a thread-pool thread (on a loaded 2-core box a pool hop cost ICE and DTLS
/// hundreds of milliseconds) and a session has one thread, not a thread and an async loop. Sends go to the nominated
/// ICE peer.
/// </summary>
internal sealed class DtlsDatagramTransport(Func<Memory<byte>, int, int> receive, Action<ReadOnlyMemory<byte>> send)
    : DatagramTransport
{
    /// <summary>
    /// Largest datagram sent: 1,200 bytes, the size WebRTC stacks assume fits any path (RFC 8831 §5 uses 1,200 for
    /// SCTP over DTLS; libwebrtc's DTLS MTU is 1,200), so certificate flights are fragmented below it.
    /// </summary>
    public const int MaxSendSize = 1200;

    /// <summary>Largest datagram read: a 1,500-byte MTU; anything larger is not WebRTC from a browser.</summary>
    public const int MaxReceiveSize = 1500;

    private readonly byte[] _buffer = new byte[MaxReceiveSize];
    private volatile bool _closed;

    public int GetReceiveLimit() => MaxReceiveSize;

    public int GetSendLimit() => MaxSendSize;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>A DTLS record from the peer, or -1 when none came within <paramref name="waitMillis"/>.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            throw new TlsFatalAlert(AlertDescription.close_notify);
        }

        var n = receive(_buffer, Math.Max(1, waitMillis));
        if (n < 0)
        {
            return _closed ? throw new TlsFatalAlert(AlertDescription.close_notify) : -1;
        }

        n = Math.Min(n, buffer.Length);
        _buffer.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!_closed)
        {
            send(buffer.ToArray());
        }
    }

    public void Close() => _closed = true;
}
