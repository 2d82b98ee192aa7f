using System.Buffers;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Streaming;

namespace LightNvr.Live;

/// <summary>
/// Turns one viewer's hub subscription into fMP4 for MSE and progressive MP4: the init segment, then the cached GOP
/// at once as one fragment (decode times continue from the GOP's keyframe, so the browser's buffered range ends at the
/// live edge), then one fragment per wake-up (usually one video frame: the muxer holds one frame back to know its
/// duration). A viewer that falls behind by more than <see cref="MaxLag"/> skips to the next keyframe; the hub's bounded
/// queue drops (and counts) what a stalled viewer cannot take, so neither the camera nor other viewers wait.
/// </summary>
/// <remarks>
/// Lag is measured without trusting the camera's clock: for each video frame, local time minus media time (DTS);
/// its minimum so far is the delivery with no backlog, and the excess over it is how far behind this viewer is.
/// The session ends (the client reconnects) when the source reconnects or changes parameter sets.
/// Not thread-safe: one writer per viewer.
/// </remarks>
public sealed class LiveFmp4Writer(HubSubscription subscription, IReadOnlyList<MediaTrack> tracks, LiveConsumer consumer,
    TimeProvider time)
{
    /// <summary>
    /// How far behind the live edge a viewer may fall before it jumps to the next keyframe: the MSE latency target is
    /// 1.5 s (architecture.md), and a 2 s backlog on top of the player's own buffer would already break it.
    /// </summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(2);

    private readonly HashSet<int> _trackIds = tracks.Select(t => t.Id).ToHashSet();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private long _minOffsetMs = long.MaxValue;
    private bool _skipping;
    private int _pending;

    /// <summary>
    /// Sends the init segment and fragments until the subscription ends, the source reconnects, or
    /// <paramref name="cancellationToken"/> fires. <paramref name="first"/> are frames already read (the first keyframe).
    /// </summary>
    public async Task RunAsync(IReadOnlyList<MediaFrame> first, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send,
        CancellationToken cancellationToken)
    {
        var announced = subscription.Tracks;
        using var muxer = new Fmp4Muxer(tracks);
        await send(muxer.InitSegment, cancellationToken).ConfigureAwait(false);
        consumer.AddSent(muxer.InitSegment.Length, 0);
        foreach (var frame in first)
        {
            if (!Add(muxer, frame, burst: true))
            {
                return;
            }
        }

        var burst = true;
        while (true)
        {
            while (subscription.TryRead(out var frame))
            {
                if (!Add(muxer, frame, burst))
                {
                    return;
                }
            }

            burst = false;
            if (muxer.HasBufferedSamples)
            {
                muxer.FlushFragment(_buffer);
                await send(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                consumer.AddSent(_buffer.WrittenCount, _pending);
                _pending = 0;
                _buffer.ResetWrittenCount();
            }

            if (!await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                || !ReferenceEquals(subscription.Tracks, announced))
            {
                return;
            }
        }
    }

    private bool Add(Fmp4Muxer muxer, MediaFrame frame, bool burst)
    {
        if (!_trackIds.Contains(frame.Track.Id))
        {
            return true;
        }

        if (frame.Track.Kind == MediaKind.Video && !burst)
        {
            var behind = IsBehind(frame);
            _skipping = _skipping ? !frame.IsKeyFrame || behind : behind;
        }

        if (_skipping)
        {
            consumer.AddSkipped(1);
            return true;
        }

        var result = muxer.AddFrame(frame);
        _pending += result == Fmp4AddResult.Added ? 1 : 0;
        return result != Fmp4AddResult.TrackChanged;
    }

    /// <summary>True when this video frame reaches us more than <see cref="MaxLag"/> later than the best delivery so far.</summary>
    private bool IsBehind(MediaFrame frame)
    {
        var offset = time.GetUtcNow().ToUnixTimeMilliseconds() - (frame.Dts * 1000 / frame.Track.ClockRate);
        _minOffsetMs = Math.Min(_minOffsetMs, offset);
        return offset - _minOffsetMs > (long)MaxLag.TotalMilliseconds;
    }

}
