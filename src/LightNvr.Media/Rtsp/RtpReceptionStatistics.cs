using System.Buffers.Binary;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Per-track reception state for RTCP receiver reports, RFC 3550 §6.4.1 and Appendix A.1/A.3/A.8: extended highest
/// sequence number, cumulative and interval loss, interarrival jitter, and the last sender report for LSR/DLSR.
/// Only the header fields the report needs are read here; depacketizing is the <c>Rtp</c> namespace's job.
/// </summary>
internal sealed class RtpReceptionStatistics
{
    /// <summary>Fixed RTP header length, RFC 3550 §5.1.</summary>
    public const int RtpHeaderLength = 12;

    /// <summary>RR with one report block: 8-byte header + 24-byte block, RFC 3550 §6.4.2.</summary>
    public const int ReceiverReportLength = 32;

    private readonly int _clockRate;
    private readonly TimeProvider _time;
    private bool _started;
    private uint _ssrc;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private double _jitter;
    private long _lastTransit;
    private uint _lastSrNtpMiddle;
    private long _lastSrArrivalTicks;

    public RtpReceptionStatistics(int clockRate, TimeProvider time)
    {
        _clockRate = clockRate;
        _time = time;
    }

    public bool HasSender => _started;

    /// <summary>Checks an RTP header (RFC 3550 §5.1: version 2, CSRCs and extension within the packet) and records it.</summary>
    public bool TryRecord(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < RtpHeaderLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        var headerLength = RtpHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < headerLength + 4)
            {
                return false;
            }

            headerLength += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(headerLength + 2)..]));
        }

        if (packet.Length < headerLength)
        {
            return false;
        }

        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        lock (this)
        {
            if (!_started || ssrc != _ssrc)
            {
                _started = true;
                _ssrc = ssrc;
                _baseSeq = seq;
                _maxSeq = seq;
                _cycles = 0;
                _received = 0;
                _expectedPrior = _receivedPrior = 0;
                _jitter = 0;
                _lastTransit = long.MinValue;
            }
            else if ((ushort)(seq - _maxSeq) is var delta && delta < 0x8000)
            {
                if (seq < _maxSeq)
                {
                    _cycles += 0x10000;
                }

                _maxSeq = seq;
            }

            _received++;

            // Interarrival jitter, RFC 3550 §6.4.1 / A.8, in timestamp units.
            var arrival = (long)(_time.GetTimestamp() * (double)_clockRate / _time.TimestampFrequency);
            var transit = arrival - timestamp;
            if (_lastTransit != long.MinValue)
            {
                var d = Math.Abs(transit - _lastTransit);
                _jitter += (d - _jitter) / 16.0;
            }

            _lastTransit = transit;
        }

        return true;
    }

    /// <summary>Notes a sender report (RFC 3550 §6.4.1) for the LSR and DLSR fields of our next report.</summary>
    public void RecordRtcp(ReadOnlySpan<byte> rtcp)
    {
        // Compound packet: walk each RTCP packet; SR is packet type 200 with the NTP timestamp at bytes 8..16.
        while (rtcp.Length >= 8)
        {
            var length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(rtcp[2..]) + 1);
            if (length > rtcp.Length)
            {
                return;
            }

            if (rtcp[1] == 200 && length >= 28)
            {
                lock (this)
                {
                    _lastSrNtpMiddle = BinaryPrimitives.ReadUInt32BigEndian(rtcp[10..]);
                    _lastSrArrivalTicks = _time.GetTimestamp();
                }
            }

            rtcp = rtcp[length..];
        }
    }

    /// <summary>Writes an RR with one report block about the sender we hear (RFC 3550 §6.4.2).</summary>
    public int WriteReceiverReport(uint ourSsrc, Span<byte> destination)
    {
        lock (this)
        {
            destination[0] = 0x81; // V=2, P=0, RC=1
            destination[1] = 201;  // RR
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ReceiverReportLength / 4) - 1);
            BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ourSsrc);
            BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _ssrc);

            var extendedMax = _cycles + _maxSeq;
            var expected = (long)extendedMax - _baseSeq + 1;
            var lost = Math.Clamp(expected - _received, -0x800000, 0x7FFFFF);
            var expectedInterval = expected - _expectedPrior;
            var lostInterval = expectedInterval - (_received - _receivedPrior);
            _expectedPrior = expected;
            _receivedPrior = _received;
            var fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int)((lostInterval << 8) / expectedInterval);
            destination[12] = (byte)Math.Min(fraction, 255);
            destination[13] = (byte)(lost >> 16);
            destination[14] = (byte)(lost >> 8);
            destination[15] = (byte)lost;
            BinaryPrimitives.WriteUInt32BigEndian(destination[16..], extendedMax);
            BinaryPrimitives.WriteUInt32BigEndian(destination[20..], (uint)_jitter);
            BinaryPrimitives.WriteUInt32BigEndian(destination[24..], _lastSrNtpMiddle);
            var dlsr = _lastSrArrivalTicks == 0
                ? 0u
                : (uint)(_time.GetElapsedTime(_lastSrArrivalTicks).TotalSeconds * 65536); // units of 1/65536 s
            BinaryPrimitives.WriteUInt32BigEndian(destination[28..], dlsr);
        }

        return ReceiverReportLength;
    }
}
