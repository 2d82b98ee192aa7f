using System.Collections.Concurrent;
using System.Net;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// A way out to a peer: the shared UDP port (<see cref="IceUdpMux"/>, or a session's own when the fixed port is not
/// used) or one ICE-TCP connection (<see cref="IceTcpListener"/>). Sends never block; a failed one is a lost packet.
/// </summary>
internal abstract class IceLink
{
    /// <summary><c>udp</c> or <c>tcp</c>: what the session's log line says.</summary>
    public abstract string Protocol { get; }

    public abstract void Send(ReadOnlySpan<byte> datagram, IPEndPoint to);

    /// <summary>
    /// A valid ICE check came from <paramref name="remote"/>: later datagrams from it that are not STUN belong to
    /// <paramref name="inbox"/> (the UDP demultiplexer's address table; a TCP connection already has one session).
    /// </summary>
    public virtual void Bind(IPEndPoint remote, IceInbox inbox)
    {
    }
}

/// <summary>One datagram (or RFC 4571 frame) for a session, where it came from and the link to answer on.</summary>
internal readonly record struct IceDatagram(byte[] Data, IPEndPoint From, IceLink Link);

/// <summary>The candidate pair the session uses: the peer's address and the link it was checked over.</summary>
internal sealed record IcePeer(IPEndPoint Address, IceLink Link)
{
    public override string ToString() => Link.Protocol == "udp" ? Address.ToString() : $"{Address} ({Link.Protocol})";
}

/// <summary>Answers a STUN message for a session on the caller's thread.</summary>
internal delegate void IceStunHandler(ReadOnlySpan<byte> datagram, IPEndPoint from, IceLink link);

/// <summary>
/// One session's incoming datagrams, fed by the demultiplexers (the shared UDP port's receive thread, ICE-TCP
/// connections) and read by the session's DTLS thread (<see cref="WebRtcSession"/>'s receive loop). Bounded: when the
/// session does not keep up, newer datagrams are dropped and counted (UDP semantics; DTLS retransmits). STUN is not
/// queued: <see cref="PostStun"/> answers it on the demultiplexer's thread, so a check is never lost behind a flood
/// of bad checks or DTLS work, and consent is refreshed even while the DTLS thread is busy.
/// </summary>
internal sealed class IceInbox(string ufrag)
{
    /// <summary>Datagrams queued at most: ~1 s of a browser's RTCP, checks and DTLS flights with room to spare.</summary>
    public const int Capacity = 256;

    private readonly BlockingCollection<IceDatagram> _queue = new(Capacity);
    private readonly CancellationTokenSource _ended = new();
    private long _dropped;

    /// <summary>The server's ICE ufrag for this session: the first half of the checks' USERNAME.</summary>
    public string Ufrag => ufrag;

    /// <summary>Datagrams dropped because the queue was full or the session had ended.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Cancelled when the session has ended: its ICE-TCP connections close then.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>The session's STUN handler (set once by the session).</summary>
    public IceStunHandler? Stun { get; set; }

    /// <summary>A STUN message for the session: answered now on this thread (queued when no handler is set).</summary>
    public void PostStun(ReadOnlySpan<byte> datagram, IPEndPoint from, IceLink link)
    {
        if (Stun is { } handler && !_queue.IsAddingCompleted)
        {
            handler(datagram, from, link);
        }
        else
        {
            Post(new IceDatagram(datagram.ToArray(), from, link));
        }
    }

    public void Post(IceDatagram datagram)
    {
        try
        {
            if (_queue.TryAdd(datagram))
            {
                return;
            }
        }
        catch (InvalidOperationException)
        {
            // completed: the session ended
        }

        Interlocked.Increment(ref _dropped);
    }

    /// <summary>The next datagram within <paramref name="waitMillis"/>; false on timeout, cancellation or after <see cref="Complete"/>.</summary>
    public bool TryTake(out IceDatagram datagram, int waitMillis, CancellationToken cancellationToken)
    {
        try
        {
            return _queue.TryTake(out datagram, waitMillis, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            datagram = default;
            return false;
        }
    }

    public void Complete()
    {
        _queue.CompleteAdding();
        _ended.Cancel();
    }
}
