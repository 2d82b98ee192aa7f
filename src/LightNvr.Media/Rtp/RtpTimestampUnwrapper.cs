namespace LightNvr.Media.Rtp;

/// <summary>
/// Turns 32-bit RTP timestamps (RFC 3550 §5.1, random start, wrapping every 2³² ticks: 13.25 h at 90 kHz) into a
/// 64-bit timeline that starts at 0 with the first packet and never jumps. A step within
/// (−<see cref="MaxBackwardSeconds"/>, +<see cref="MaxForwardSeconds"/>) is taken as is — small backward steps are
/// normal with B-frames, whose RTP timestamps are presentation times. A bigger step is a camera timestamp jump
/// (encoder restart, clock step): the timeline is re-based so the new timestamp lands one typical step after the last
/// one, and the jump is counted.
/// </summary>
public sealed class RtpTimestampUnwrapper
{
    /// <summary>Largest forward step taken as real; beyond it the stream would have timed out in the RTSP client anyway.</summary>
    public const int MaxForwardSeconds = 10;

    /// <summary>Largest backward step taken as real: B-frame reordering spans a few frames, far below 1 s.</summary>
    public const int MaxBackwardSeconds = 1;

    private readonly long _maxForward;
    private readonly long _maxBackward;
    private bool _started;
    private uint _lastRaw;
    private long _last;
    private long _typicalStep;

    public RtpTimestampUnwrapper(int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        _maxForward = (long)clockRate * MaxForwardSeconds;
        _maxBackward = (long)clockRate * MaxBackwardSeconds;
    }

    /// <summary>Camera timestamp jumps that were re-based.</summary>
    public long Jumps { get; private set; }

    /// <summary>True when the last <see cref="Unwrap"/> re-based the timeline.</summary>
    public bool LastWasJump { get; private set; }

    /// <summary>The last unwrapped timestamp.</summary>
    public long Last => _last;

    public long Unwrap(uint timestamp)
    {
        LastWasJump = false;
        if (!_started)
        {
            _started = true;
            _lastRaw = timestamp;
            _last = 0;
            return 0;
        }

        var delta = (long)(int)(timestamp - _lastRaw);
        if (delta > _maxForward || delta <= -_maxBackward)
        {
            Jumps++;
            LastWasJump = true;
            delta = Math.Max(_typicalStep, 1);
        }
        else if (delta > 0)
        {
            _typicalStep = delta;
        }

        _lastRaw = timestamp;
        _last += delta;
        return _last;
    }

    /// <summary>
    /// Where <paramref name="timestamp"/> (e.g. from an RTCP sender report) falls on the unwrapped timeline,
    /// relative to the last packet, without changing state.
    /// </summary>
    public long Peek(uint timestamp) => _started ? _last + (int)(timestamp - _lastRaw) : 0;
}
