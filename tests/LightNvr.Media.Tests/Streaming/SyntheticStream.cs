namespace LightNvr.Media.Tests.Streaming;

/// <summary>Synthetic H.264 + AAC frames: 25 fps video, keyframe every <c>gop</c> frames, one audio frame per video frame.</summary>
internal sealed class SyntheticStream
{
    public static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42], Pps = [0x68], Width = 640, Height = 360,
    };

    public static readonly MediaTrack Audio = new()
    {
        Id = 1, Codec = MediaCodec.Aac, ClockRate = 16000, AudioSpecificConfig = [0x14, 0x08], SampleRate = 16000, Channels = 1,
    };

    public static readonly IReadOnlyList<MediaTrack> Tracks = [Video, Audio];

    private readonly int _gop;
    private int _index;

    public SyntheticStream(int gop = 25, int start = 0)
    {
        _gop = gop;
        _index = start;
    }

    /// <summary>The next video frame and its audio frame.</summary>
    public IEnumerable<MediaFrame> Next(int videoBytes = 1000)
    {
        var i = _index++;
        yield return new MediaFrame(Video, i * 3600L, 0, i % _gop == 0, new byte[videoBytes], i * 40L);
        yield return new MediaFrame(Audio, i * 640L, 0, true, new byte[64], i * 40L);
    }

    public void Push(IMediaSink sink, int videoFrames, int videoBytes = 1000)
    {
        for (var n = 0; n < videoFrames; n++)
        {
            foreach (var frame in Next(videoBytes))
            {
                sink.OnFrame(frame);
            }
        }
    }
}
