using System.Buffers;

namespace LightNvr.Media.Rtp;

/// <summary>
/// Puts RTP packets back in sequence-number order (RFC 3550 §5.1, §A.1) before depacketization. In-order packets
/// pass straight through without a copy; a packet ahead of the next expected one is copied into a bounded window
/// and held until the gap fills, the window is full or the oldest held packet has waited
/// <see cref="MaxHoldTime"/>; then the missing packets are declared lost. Duplicates and packets arriving after
/// their slot was given up are dropped. Over TCP nothing is ever held.
/// </summary>
public sealed class RtpReorderBuffer
{
    /// <summary>
    /// Window of held packets. A 1080p I-frame is ~150 packets; UDP reordering on a LAN is a few packets, so 64
    /// covers it with room; gortsplib's UDP reorderer uses the same 64-packet buffer.
    /// </summary>
    public const int MaxHeldPackets = 64;

    /// <summary>RFC 3550 §A.1 MAX_DROPOUT: a jump this far ahead is a sender restart, not loss.</summary>
    public const int MaxDropout = 3000;

    /// <summary>RFC 3550 §A.1 MAX_MISORDER: a packet this far behind is a sender restart, not a late packet.</summary>
    public const int MaxMisorder = 100;

    /// <summary>How long a gap may stay open; a camera at 25 fps sends a frame every 40 ms, so 100 ms ≈ 2 frames.</summary>
    public static readonly TimeSpan MaxHoldTime = TimeSpan.FromMilliseconds(100);

    private readonly byte[]?[] _slots = new byte[]?[MaxHeldPackets];
    private readonly int[] _lengths = new int[MaxHeldPackets];
    private readonly long[] _heldAt = new long[MaxHeldPackets];
    private int _held;
    private bool _started;
    private ushort _expected;
    private long _extendedNext;

    /// <summary>Packets missing from the sequence and given up.</summary>
    public long Lost { get; private set; }

    /// <summary>Packets that arrived ahead of their turn and were held.</summary>
    public long Reordered { get; private set; }

    /// <summary>Duplicates and packets that arrived after their slot was declared lost.</summary>
    public long DuplicateOrLate { get; private set; }

    /// <summary>Sender restarts of the sequence (a jump beyond <see cref="MaxDropout"/>/<see cref="MaxMisorder"/>).</summary>
    public long Resyncs { get; private set; }

    /// <summary>Packets delivered in order.</summary>
    public long Delivered { get; private set; }

    /// <summary>RFC 3550 §6.4.1 extended highest sequence number received (cycles in the upper 16 bits).</summary>
    public uint ExtendedHighestSequence => (uint)(_extendedNext - 1);

    /// <summary>
    /// Accepts one packet with sequence number <paramref name="sequence"/>; calls <paramref name="deliver"/> for
    /// every packet that is now in order and <paramref name="onLoss"/> (with the count) before a packet that
    /// follows a gap. <paramref name="nowTicks"/> is any monotonic clock in <see cref="TimeProvider"/> timestamp units.
    /// </summary>
    public void Push(ReadOnlySpan<byte> packet, ushort sequence, long nowTicks, TimeProvider clock,
        RtpPacketHandler deliver, Action<int> onLoss)
    {
        if (!_started)
        {
            _started = true;
            _expected = sequence;
            _extendedNext = (_extendedNext & ~0xFFFFL) + sequence;
        }

        var diff = (short)(ushort)(sequence - _expected);
        if (diff == 0)
        {
            Advance(1);
            Delivered++;
            deliver(packet);
            DrainInOrder(deliver);
        }
        else if (diff < 0)
        {
            if (-diff > MaxMisorder)
            {
                Restart(packet, sequence, deliver, onLoss);
            }
            else
            {
                DuplicateOrLate++;
            }
        }
        else if (diff > MaxDropout)
        {
            Restart(packet, sequence, deliver, onLoss);
        }
        else if (diff >= MaxHeldPackets)
        {
            // Too far ahead to hold: give up on everything missing before it.
            FlushAll(deliver, onLoss);
            var missing = (ushort)(sequence - _expected);
            if (missing > 0)
            {
                Lost += missing;
                Advance(missing);
                onLoss(missing);
            }

            Advance(1);
            Delivered++;
            deliver(packet);
        }
        else
        {
            Hold(packet, diff, nowTicks);
        }

        if (_held > 0 && (_held >= MaxHeldPackets - 1 || clock.GetElapsedTime(OldestHeld(), nowTicks) > MaxHoldTime))
        {
            SkipToNextHeld(deliver, onLoss);
        }
    }

    /// <summary>Gives up on every open gap and delivers whatever is held (end of stream, or a caller's timer).</summary>
    public void FlushAll(RtpPacketHandler deliver, Action<int> onLoss)
    {
        while (_held > 0)
        {
            SkipToNextHeld(deliver, onLoss);
        }
    }

    /// <summary>Forgets the sequence (a new SSRC): the next packet starts it afresh. Counters keep counting.</summary>
    public void Reset()
    {
        _started = false;
    }

    private void Hold(ReadOnlySpan<byte> packet, int diff, long nowTicks)
    {
        var slot = (_expected + diff) % MaxHeldPackets;
        if (_slots[slot] is not null)
        {
            DuplicateOrLate++;
            return;
        }

        var copy = ArrayPool<byte>.Shared.Rent(packet.Length);
        packet.CopyTo(copy);
        _slots[slot] = copy;
        _lengths[slot] = packet.Length;
        _heldAt[slot] = nowTicks;
        _held++;
        Reordered++;
    }

    private long OldestHeld()
    {
        var oldest = long.MaxValue;
        for (var i = 0; i < MaxHeldPackets; i++)
        {
            if (_slots[i] is not null && _heldAt[i] < oldest)
            {
                oldest = _heldAt[i];
            }
        }

        return oldest;
    }

    private void SkipToNextHeld(RtpPacketHandler deliver, Action<int> onLoss)
    {
        var missing = 0;
        while (_slots[_expected % MaxHeldPackets] is null && missing < MaxHeldPackets)
        {
            missing++;
            Advance(1);
        }

        if (missing > 0)
        {
            Lost += missing;
            onLoss(missing);
        }

        DrainInOrder(deliver);
    }

    private void DrainInOrder(RtpPacketHandler deliver)
    {
        while (_held > 0)
        {
            var slot = _expected % MaxHeldPackets;
            var buffer = _slots[slot];
            if (buffer is null)
            {
                return;
            }

            _slots[slot] = null;
            _held--;
            Advance(1);
            Delivered++;
            try
            {
                deliver(buffer.AsSpan(0, _lengths[slot]));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Restart(ReadOnlySpan<byte> packet, ushort sequence, RtpPacketHandler deliver, Action<int> onLoss)
    {
        FlushAll(deliver, onLoss);
        Resyncs++;
        onLoss(0);
        _expected = sequence;
        _extendedNext = (_extendedNext & ~0xFFFFL) + sequence;
        Advance(1);
        Delivered++;
        deliver(packet);
    }

    private void Advance(int count)
    {
        _expected = (ushort)(_expected + count);
        _extendedNext += count;
    }
}
