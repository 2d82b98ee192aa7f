using LightNvr.Media;

namespace LightNvr.Cameras;

/// <summary>
/// Learns a stream's codec, size and frame rate from what arrives (issue 3 §2: fields width, height, fps, codec are
/// filled from the stream), without decoding: size from the SPS the depacketizer parsed, fps from video timestamps over
/// <see cref="MeasureSeconds"/> of media time. Called on the source's thread; cheap and non-blocking.
/// </summary>
public sealed class VideoInfoProbe
{
    /// <summary>Media time to average the frame rate over: long enough to smooth B-frame reordering and jitter.</summary>
    public const int MeasureSeconds = 2;

    private readonly Lock _lock = new();
    private MediaTrack? _track;
    private long _firstDts = -1;
    private int _frames;
    private long _lastFrameUnixMs;

    /// <summary>The last result, or null before the first video frame.</summary>
    public VideoInfo? Info { get; private set; }

    /// <summary>Raised once per connection (and per parameter change) when the frame rate is known.</summary>
    public event Action<VideoInfo>? Measured;

    /// <summary>Wall-clock time of the last video frame (Unix ms), 0 before the first.</summary>
    public long LastFrameUnixMs => Volatile.Read(ref _lastFrameUnixMs);

    public void Reset()
    {
        lock (_lock)
        {
            _track = null;
            _firstDts = -1;
            _frames = 0;
        }
    }

    public void OnFrame(MediaFrame frame)
    {
        if (frame.Track.Kind != MediaKind.Video)
        {
            return;
        }

        Volatile.Write(ref _lastFrameUnixMs, frame.WallClockUnixMs);
        VideoInfo? measured = null;
        lock (_lock)
        {
            if (!ReferenceEquals(_track, frame.Track))
            {
                _track = frame.Track;
                _firstDts = frame.Dts;
                _frames = 0;
                Info = new VideoInfo(CodecName(frame.Track.Codec), frame.Track.Width, frame.Track.Height, Info?.Fps ?? 0);
                return;
            }

            if (_firstDts < 0)
            {
                return;
            }

            _frames++;
            var elapsed = frame.Dts - _firstDts;
            if (elapsed >= (long)MeasureSeconds * frame.Track.ClockRate)
            {
                var fps = (int)Math.Round(_frames * (double)frame.Track.ClockRate / elapsed);
                Info = Info! with { Fps = fps };
                measured = Info;
                _firstDts = -1; // measured for this track instance
            }
        }

        if (measured is not null)
        {
            Measured?.Invoke(measured);
        }
    }

    /// <summary>Upstream's codec strings ("h264", "h265").</summary>
    public static string CodecName(MediaCodec codec) => codec switch
    {
        MediaCodec.H264 => "h264",
        MediaCodec.H265 => "h265",
        MediaCodec.Aac => "aac",
        MediaCodec.Pcmu => "pcmu",
        MediaCodec.Pcma => "pcma",
        MediaCodec.Opus => "opus",
        _ => "",
    };
}
