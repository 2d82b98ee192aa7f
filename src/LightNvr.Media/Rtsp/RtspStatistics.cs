namespace LightNvr.Media.Rtsp;

/// <summary>
/// Counters of one RTSP source, updated on the receive paths with <see cref="Interlocked"/> and readable at any
/// time from any thread (the hub shows them per stream).
/// </summary>
public sealed class RtspStatistics
{
    private long _bytesReceived;
    private long _rtpPackets;
    private long _rtcpPackets;
    private long _malformedMessages;
    private long _malformedRtpPackets;
    private long _droppedPackets;
    private long _keepAlivesSent;
    private long _receiverReportsSent;
    private long _frames;

    /// <summary>Bytes read from the TCP connection and the UDP sockets.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>RTP packets accepted and handed to a depacketizer.</summary>
    public long RtpPackets => Volatile.Read(ref _rtpPackets);

    public long RtcpPackets => Volatile.Read(ref _rtcpPackets);

    /// <summary>RTSP messages that failed to parse (<see cref="RtspParseError"/>), skipped.</summary>
    public long MalformedMessages => Volatile.Read(ref _malformedMessages);

    /// <summary>RTP packets too short or with a bad header, dropped.</summary>
    public long MalformedRtpPackets => Volatile.Read(ref _malformedRtpPackets);

    /// <summary>Packets for no track we set up (unknown interleaved channel, unexpected payload type), dropped.</summary>
    public long DroppedPackets => Volatile.Read(ref _droppedPackets);

    public long KeepAlivesSent => Volatile.Read(ref _keepAlivesSent);

    public long ReceiverReportsSent => Volatile.Read(ref _receiverReportsSent);

    /// <summary>Frames delivered to the sink.</summary>
    public long Frames => Volatile.Read(ref _frames);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesReceived, n);

    internal void AddRtpPacket() => Interlocked.Increment(ref _rtpPackets);

    internal void AddRtcpPacket() => Interlocked.Increment(ref _rtcpPackets);

    internal void AddMalformedMessage() => Interlocked.Increment(ref _malformedMessages);

    internal void AddMalformedRtpPacket() => Interlocked.Increment(ref _malformedRtpPackets);

    internal void AddDroppedPacket() => Interlocked.Increment(ref _droppedPackets);

    internal void AddKeepAlive() => Interlocked.Increment(ref _keepAlivesSent);

    internal void AddReceiverReport() => Interlocked.Increment(ref _receiverReportsSent);

    internal void AddFrame() => Interlocked.Increment(ref _frames);
}
