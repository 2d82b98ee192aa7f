using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// One end of an in-memory datagram link for BouncyCastle's DTLS (no socket): what one end sends, the other receives.
/// The warm-up handshake runs over a pair of these (<see cref="CreatePair"/>).
/// </summary>
internal sealed class MemoryDatagramTransport : DatagramTransport
{
    /// <summary>Datagrams queued at most per direction: a handshake flight is a handful; more is a bug, not a need.</summary>
    public const int MaxQueued = 64;

    private readonly BlockingCollection<byte[]> _inbox = new(MaxQueued);
    private MemoryDatagramTransport? _other;

    public static (MemoryDatagramTransport A, MemoryDatagramTransport B) CreatePair()
    {
        var a = new MemoryDatagramTransport();
        var b = new MemoryDatagramTransport();
        a._other = b;
        b._other = a;
        return (a, b);
    }

    public int GetReceiveLimit() => DtlsDatagramTransport.MaxReceiveSize;

    public int GetSendLimit() => DtlsDatagramTransport.MaxSendSize;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!_inbox.TryTake(out var datagram, Math.Max(1, waitMillis)))
        {
            return _inbox.IsAddingCompleted ? throw new TlsFatalAlert(AlertDescription.close_notify) : -1;
        }

        var n = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (_other is { } other && !other._inbox.IsAddingCompleted)
        {
            other._inbox.TryAdd(buffer.ToArray());
        }
    }

    public void Close()
    {
        _inbox.CompleteAdding();
        _other?._inbox.CompleteAdding();
    }
}
