using System.Buffers;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>Muxer behaviour on synthetic frames, checked with our reader (ffmpeg judges real frames in the interop tests).</summary>
public sealed class MuxerTests
{
    private const long Wall = 1_700_000_000_000;

    internal static MediaFrame Video(MediaTrack track, int index, bool key, int cto = 0, int size = 20) =>
        new(track, 1000 + (index * 3000L), cto, key, Nal(0x65, size), Wall + (index * 1000L / 30));

    internal static MediaFrame Audio(MediaTrack track, int index) =>
        new(track, 500 + (index * 1024L), 0, true, new byte[] { 0x21, (byte)index, 0x42 }, Wall + (index * 1024L * 1000 / 48000));

    private static byte[] Nal(byte header, int size)
    {
        var data = new byte[size];
        data[3] = (byte)(size - 4);
        data[4] = header;
        return data;
    }

    [Fact]
    public void Durations_come_from_the_next_frame_and_the_final_flush_reuses_the_last()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264]);
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Fmp4AddResult.Added, muxer.AddFrame(Video(TestVectors.H264, i, i == 0)));
        }

        Assert.Equal(TimeSpan.FromSeconds(4 * 3000 / 90000.0), muxer.BufferedDuration);
        Assert.True(muxer.FlushFragment(output) > 0);
        Assert.Equal(0, muxer.FlushFragment(output)); // the held frame waits for its duration
        Assert.True(muxer.FlushFragment(output, final: true) > 0);

        var index = Read(output);
        var samples = index.Tracks[0].Samples;
        Assert.Equal(5, samples.Count);
        Assert.Equal(2, index.Fragments.Count);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new Mp4Sample(samples[i].Offset, 20, i * 3000L, 0, 3000, i == 0, i < 4 ? 0 : 1), samples[i]);
        }
    }

    [Fact]
    public void Policy_cuts_at_keyframes_and_at_the_target_duration()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264]);
        var policy = new Fmp4FragmentPolicy { TargetDuration = TimeSpan.FromSeconds(1) };
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        for (var i = 0; i < 120; i++)
        {
            muxer.AddFrame(Video(TestVectors.H264, i, i % 45 == 0)); // keyframe every 1.5 s
            if (policy.ShouldFlush(muxer))
            {
                muxer.FlushFragment(output);
            }
        }

        muxer.FlushFragment(output, final: true);
        var index = Read(output);
        var firstOfFragment = index.Tracks[0].Samples.GroupBy(s => s.FragmentIndex).Select(g => g.First()).ToList();
        // 0–1 s (30 frames), 1–1.5 s (to the keyframe), 1.5–2.5, 2.5–3, 3–4 s.
        Assert.Equal([0, 30, 45, 75, 90], firstOfFragment.Select(s => (int)(s.Dts / 3000)));
    }

    [Fact]
    public void Timestamp_jumps_keep_the_timeline_continuous()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264]);
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        long[] dts = [0, 3000, 6000, 6000 + (3600 * 90000L), 3000, 6000]; // an hour forward, then back
        for (var i = 0; i < dts.Length; i++)
        {
            muxer.AddFrame(new MediaFrame(TestVectors.H264, dts[i], 0, i == 0, Nal(0x65, 8), Wall + i));
            muxer.FlushFragment(output); // one fragment per sample: each tfdt must follow the previous sample
        }

        muxer.FlushFragment(output, final: true);
        var samples = Read(output).Tracks[0].Samples;
        Assert.Equal([0L, 3000, 6000, 9000, 12000, 15000], samples.Select(s => s.Dts));
        Assert.All(samples, s => Assert.Equal(3000u, s.Duration));
    }

    [Fact]
    public void Audio_keeps_flushing_when_video_stalls()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264, TestVectors.Aac]);
        var policy = new Fmp4FragmentPolicy();
        var output = new ArrayBufferWriter<byte>();
        muxer.AddFrame(Video(TestVectors.H264, 0, true));
        for (var i = 0; i < 5000; i++) // 107 s of audio, no more video
        {
            muxer.AddFrame(Audio(TestVectors.Aac, i));
            if (policy.ShouldFlush(muxer))
            {
                muxer.FlushFragment(output);
            }
        }

        Assert.InRange(muxer.FragmentCount, 100, 110);
    }

    [Fact]
    public void Audio_and_video_share_one_fragment_and_start_in_sync()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264, TestVectors.Aac]);
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        Assert.Equal(Fmp4AddResult.WaitingForKeyFrame, muxer.AddFrame(Audio(TestVectors.Aac, 0)));
        muxer.AddFrame(Video(TestVectors.H264, 1, true));
        muxer.AddFrame(Audio(TestVectors.Aac, 3)); // 64 ms after the wall-clock origin of the first kept frame: ~ 30 ms
        muxer.AddFrame(Audio(TestVectors.Aac, 4));
        muxer.AddFrame(Video(TestVectors.H264, 2, false));
        muxer.FlushFragment(output, final: true);
        var index = Read(output);
        Assert.Single(index.Fragments);
        Assert.Equal(2, index.Tracks[0].Samples.Count);
        Assert.Equal(2, index.Tracks[1].Samples.Count);
        Assert.Equal(0, index.Tracks[0].Samples[0].Dts);
        var audioWallMs = (3 * 1024 * 1000 / 48000) - (1000 / 30);
        Assert.Equal(audioWallMs * 48, index.Tracks[1].Samples[0].Dts);
        Assert.Equal(new byte[] { 0x21, 3, 0x42 }, output.WrittenSpan.Slice((int)index.Tracks[1].Samples[0].Offset, 3).ToArray());
    }

    [Fact]
    public void Caller_given_start_dts_and_bframe_offsets()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264],
            new Fmp4MuxerOptions { StartDts = new Dictionary<int, long> { [0] = 1000 - 9000 }, FirstSequenceNumber = 5 });
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        muxer.AddFrame(Video(TestVectors.H264, 0, true, cto: 6000));
        muxer.AddFrame(Video(TestVectors.H264, 1, false, cto: 9000));
        muxer.AddFrame(Video(TestVectors.H264, 2, false, cto: -3000));
        muxer.FlushFragment(output, final: true);
        var index = Read(output);
        Assert.Equal(5u, index.Fragments[0].SequenceNumber);
        Assert.Equal([9000L, 12000, 15000], index.Tracks[0].Samples.Select(s => s.Dts));
        Assert.Equal([6000, 9000, -3000], index.Tracks[0].Samples.Select(s => s.CompositionOffset));
    }

    [Fact]
    public void New_parameter_sets_are_reported_equal_ones_adopted()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264]);
        Assert.Equal(Fmp4AddResult.Added, muxer.AddFrame(Video(TestVectors.H264, 0, true)));
        var same = TestVectors.H264 with { }; // new instance, same sets
        Assert.Equal(Fmp4AddResult.Added, muxer.AddFrame(Video(same, 1, false)));
        var changed = TestVectors.H264 with { Pps = [0x68, 0xCE, 0x3C, 0x80] };
        Assert.Equal(Fmp4AddResult.TrackChanged, muxer.AddFrame(Video(changed, 2, true)));
        var other = TestVectors.Aac with { Id = 7 };
        Assert.Equal(Fmp4AddResult.UnknownTrack, muxer.AddFrame(Audio(other, 0)));
    }

    [Fact]
    public void Take_held_frames_hands_over_the_next_segment_start()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264, TestVectors.Aac]);
        muxer.AddFrame(Video(TestVectors.H264, 0, true));
        muxer.AddFrame(Audio(TestVectors.Aac, 0));
        muxer.AddFrame(Video(TestVectors.H264, 1, true));
        Assert.True(muxer.NextSampleIsKeyFrame);
        muxer.FlushFragment(new ArrayBufferWriter<byte>());
        Assert.Equal(new Fmp4FragmentInfo(1, muxer.LastFragment.Size, TimeSpan.Zero, TimeSpan.FromSeconds(3000 / 90000.0), true),
            muxer.LastFragment);
        var held = muxer.TakeHeldFrames();
        Assert.Equal(2, held.Count);
        Assert.Equal((MediaKind.Video, true), (held[0].Track.Kind, held[0].IsKeyFrame)); // the keyframe first
        Assert.True(held[1].WallClockUnixMs < held[0].WallClockUnixMs);
        Assert.False(muxer.HasBufferedSamples);
        Assert.Equal(0, muxer.FlushFragment(new ArrayBufferWriter<byte>(), final: true));
    }

    [Fact]
    public void Stream_and_buffer_writer_outputs_are_identical()
    {
        byte[] Run(bool stream)
        {
            using var muxer = new Fmp4Muxer([TestVectors.H265, TestVectors.Aac]);
            var buffer = new ArrayBufferWriter<byte>();
            using var ms = new MemoryStream();
            for (var i = 0; i < 40; i++)
            {
                muxer.AddFrame(i % 2 == 0 ? Video(TestVectors.H265, i / 2, i % 20 == 0) : Audio(TestVectors.Aac, i / 2));
                if (i % 10 == 9)
                {
                    _ = stream ? muxer.FlushFragment(ms) : muxer.FlushFragment(buffer);
                }
            }

            _ = stream ? muxer.FlushFragment(ms, true) : muxer.FlushFragment(buffer, true);
            return stream ? ms.ToArray() : buffer.WrittenSpan.ToArray();
        }

        Assert.Equal(Run(false), Run(true));
    }

    [Fact]
    public void Tracks_that_cannot_be_muxed_are_refused_up_front()
    {
        Assert.True(Fmp4Muxer.CanMux(TestVectors.H264));
        Assert.False(Fmp4Muxer.CanMux(TestVectors.H264 with { Pps = null }));
        Assert.False(Fmp4Muxer.CanMux(TestVectors.H264 with { Sps = [0x67] }));
        Assert.True(Fmp4Muxer.CanMux(new MediaTrack { Id = 1, Codec = MediaCodec.Opus, ClockRate = 48000, SampleRate = 48000 }));
        Assert.False(Fmp4Muxer.CanMux(new MediaTrack { Id = 1, Codec = MediaCodec.Unknown, ClockRate = 90000 }));
        Assert.Throws<ArgumentException>(() => new Fmp4Muxer([TestVectors.H264 with { Sps = [0x67] }]));

        // An H.265 SPS we cannot parse still makes a usable init segment (decoders read the SPS in the array).
        var odd = TestVectors.H265 with { Sps = [0x42, 0x01] };
        Assert.True(Fmp4Muxer.CanMux(odd));
        using var muxer = new Fmp4Muxer([odd]);
        Assert.True(muxer.InitSegment.Length > 0);
    }

    internal static Fmp4Index Read(ArrayBufferWriter<byte> output)
    {
        using var ms = new MemoryStream(output.WrittenSpan.ToArray());
        var index = Fmp4Reader.Read(ms);
        Assert.Null(index.Problem);
        return index;
    }
}
