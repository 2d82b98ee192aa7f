using System.Threading.Channels;
using Org.BouncyCastle.Tls;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// BouncyCastle's datagram transport over the session's one UDP socket (RFC 7983 demultiplexing): the receive loop
/// hands DTLS records (first byte 20–63) in; sends go to the nominated ICE peer. Incoming records queue in a small
/// bounded channel (oldest dropped): a flood cannot grow memory.
/// </summary>
internal sealed class DtlsDatagramTransport(Action<ReadOnlyMemory<byte>> send) : DatagramTransport
{
    /// <summary>Records waiting for the DTLS thread: a handshake flight is a few records; 64 bounds a flood.</summary>
    public const int MaxQueuedRecords = 64;

    /// <summary>
    /// Largest datagram sent: 1,200 bytes, the size WebRTC stacks assume fits any path (RFC 8831 §5 uses 1,200 for
    /// SCTP over DTLS; libwebrtc's DTLS MTU is 1,200), so certificate flights are fragmented below it.
    /// </summary>
    public const int MaxSendSize = 1200;

    private const int MaxReceiveSize = 1500;

    private readonly Channel<byte[]> _incoming = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(MaxQueuedRecords) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private volatile bool _closed;

    public void Deliver(ReadOnlySpan<byte> datagram) => _incoming.Writer.TryWrite(datagram.ToArray());

    public int GetReceiveLimit() => MaxReceiveSize;

    public int GetSendLimit() => MaxSendSize;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            throw new TlsFatalAlert(AlertDescription.close_notify);
        }

        if (!_incoming.Reader.TryRead(out var record))
        {
            using var timeout = new CancellationTokenSource(Math.Max(1, waitMillis));
            try
            {
                if (!_incoming.Reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult() ||
                    !_incoming.Reader.TryRead(out record))
                {
                    throw new TlsFatalAlert(AlertDescription.close_notify);
                }
            }
            catch (OperationCanceledException)
            {
                return -1; // timeout: DtlsRecordLayer treats -1 as "nothing yet" and retransmits as needed
            }
        }

        var n = Math.Min(record.Length, buffer.Length);
        record.AsSpan(0, n).CopyTo(buffer);
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

    public void Close()
    {
        _closed = true;
        _incoming.Writer.TryComplete();
    }
}
