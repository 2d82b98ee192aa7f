using LightNvr.Media;
using LightNvr.Recording;

namespace LightNvr.Tests.Recording;

public sealed class SegmentCutPolicyTests
{
    private static MediaTrack Video(byte sps = 0x42) => new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, sps], Pps = [0x68], Width = 640, Height = 360,
    };

    private static MediaTrack Audio() => new()
    {
        Id = 1, Codec = MediaCodec.Aac, ClockRate = 16000, AudioSpecificConfig = [0x14, 0x08], SampleRate = 16000, Channels = 1,
    };

    /// <summary>25 fps video with a keyframe every <paramref name="gop"/> frames, each followed by an audio frame.</summary>
    private static IEnumerable<MediaFrame> Frames(MediaTrack video, MediaTrack audio, int count, int gop = 25, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return new MediaFrame(video, i * 3600L, 0, i % gop == 0, new byte[10], 0);
            yield return new MediaFrame(audio, i * 640L, 0, true, new byte[4], 0);
        }
    }

    [Fact]
    public void Cuts_at_the_first_keyframe_after_the_duration_and_the_next_segment_starts_with_it()
    {
        var video = Video();
        var audio = Audio();
        var tracks = new[] { video, audio };
        var policy = new SegmentCutPolicy(TimeSpan.FromSeconds(5), recordAudio: true);
        var cuts = new List<long>();
        foreach (var frame in Frames(video, audio, 400, gop: 30, start: 7))
        {
            var action = policy.Decide(frame, tracks);
            Assert.NotEqual(SegmentAction.CloseAndSkip, action);
            if (action == SegmentAction.Cut)
            {
                Assert.True(frame.IsKeyFrame);
                Assert.Equal(MediaKind.Video, frame.Track.Kind);
                cuts.Add(frame.Dts / 3600);
            }
        }

        // 7..29 skipped (no keyframe yet); start at 30; 5 s = 125 frames → first keyframe at or after 155 is 180.
        Assert.Equal([30, 180, 330], cuts);
    }

    [Fact]
    public void Audio_is_skipped_when_record_audio_is_off()
    {
        var video = Video();
        var audio = Audio();
        var policy = new SegmentCutPolicy(TimeSpan.FromSeconds(5), recordAudio: false);
        var actions = Frames(video, audio, 10).Select(f => (f.Track.Kind, policy.Decide(f, [video, audio]))).ToList();
        Assert.All(actions.Where(a => a.Kind == MediaKind.Audio), a => Assert.Equal(SegmentAction.Skip, a.Item2));
        Assert.False(policy.Tracks.ContainsKey(1));
    }

    [Fact]
    public void New_parameter_sets_or_a_new_connection_end_the_segment()
    {
        var audio = Audio();
        var first = Video();
        var policy = new SegmentCutPolicy(TimeSpan.FromMinutes(15), recordAudio: true);
        foreach (var frame in Frames(first, audio, 20))
        {
            policy.Decide(frame, [first, audio]);
        }

        // New SPS on a keyframe: cut there.
        var second = Video(0x4d);
        Assert.Equal(SegmentAction.Cut, policy.Decide(new MediaFrame(second, 20 * 3600, 0, true, new byte[1], 0), [second, audio]));

        Assert.Equal(SegmentAction.Append, policy.Decide(new MediaFrame(audio, 20 * 640, 0, true, new byte[1], 0), [second, audio]));

        // A reconnect whose first video frame is not a keyframe: close, then wait for the keyframe.
        var third = Video(0x4d);
        var audio3 = Audio();
        Assert.Equal(SegmentAction.CloseAndSkip, policy.Decide(new MediaFrame(audio3, 0, 0, true, new byte[1], 0), [third, audio3]));
        Assert.Equal(SegmentAction.Skip, policy.Decide(new MediaFrame(third, 0, 0, false, new byte[1], 0), [third, audio3]));
        Assert.Equal(SegmentAction.Cut, policy.Decide(new MediaFrame(third, 3600, 0, true, new byte[1], 0), [third, audio3]));
    }

    [Fact]
    public void An_equal_track_instance_seen_first_in_a_segment_is_adopted_not_cut()
    {
        var video = Video();
        var listed = Audio();
        var delivered = Audio(); // same parameters, another instance
        var policy = new SegmentCutPolicy(TimeSpan.FromMinutes(15), recordAudio: true);
        Assert.Equal(SegmentAction.Cut, policy.Decide(new MediaFrame(video, 0, 0, true, new byte[1], 0), [video, listed]));
        Assert.Equal(SegmentAction.Append, policy.Decide(new MediaFrame(delivered, 0, 0, true, new byte[1], 0), [video, listed]));
        Assert.Same(delivered, policy.Tracks[1]);
    }

    [Fact]
    public void Audio_only_streams_cut_on_audio_time()
    {
        var audio = Audio();
        var policy = new SegmentCutPolicy(TimeSpan.FromSeconds(2), recordAudio: true);
        var cuts = 0;
        for (var i = 0; i < 160; i++) // 160 × 40 ms = 6.4 s
        {
            if (policy.Decide(new MediaFrame(audio, i * 640L, 0, true, new byte[4], 0), [audio]) == SegmentAction.Cut)
            {
                cuts++;
            }
        }

        Assert.Equal(4, cuts); // 0, 2, 4, 6 s
    }
}
