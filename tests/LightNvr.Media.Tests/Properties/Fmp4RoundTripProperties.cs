using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Xunit;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Media.Tests.Mp4;

namespace LightNvr.Media.Tests.Properties;

/// <summary>
/// Mux then read back: for any run of video and audio frames (sizes, durations, keyframes, composition offsets) and
/// any flush points, <see cref="Fmp4Reader"/> finds every sample the muxer was given, with its bytes, timing and sync
/// flag. Video starts at a keyframe (the muxer drops frames before one, documented in <see cref="Fmp4AddResult"/>).
/// </summary>
public sealed class Fmp4RoundTripProperties
{
    /// <summary>One generated frame: payload size, ticks to the next frame, keyframe, composition offset, flush after.</summary>
    public sealed record FrameSpec(ushort Size, ushort Duration, bool Key, ushort Cto, bool Flush);

    [Property(MaxTest = 60)]
    public void Every_muxed_sample_reads_back(NonEmptyArray<FrameSpec> specs, bool h265, bool withAudio)
    {
        var video = h265 ? TestVectors.H265 : TestVectors.H264;
        var tracks = withAudio ? new[] { video, TestVectors.Aac } : [video];
        var frames = new List<MediaFrame>();
        long videoDts = 0, audioDts = 0;
        for (var i = 0; i < specs.Get.Length; i++)
        {
            var s = specs.Get[i];
            frames.Add(new MediaFrame(video, videoDts, s.Cto % 9000, i == 0 || s.Key, Nal(i, 1 + (s.Size % 4000), h265), 0));
            videoDts += 1 + s.Duration;
            if (withAudio && s.Size % 3 == 0)
            {
                frames.Add(new MediaFrame(TestVectors.Aac, audioDts, 0, true, Payload(i, 1 + (s.Size % 700)), 0));
                audioDts += 1024;
            }
        }

        using var muxer = new Fmp4Muxer(tracks);
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        var videoIndex = 0;
        foreach (var f in frames)
        {
            Assert.Equal(Fmp4AddResult.Added, muxer.AddFrame(f));
            if (f.Track == video && specs.Get[videoIndex++].Flush)
            {
                muxer.FlushFragment(output);
            }
        }

        muxer.FlushFragment(output, final: true);
        var file = output.WrittenSpan.ToArray();
        using var stream = new MemoryStream(file);
        var index = Fmp4Reader.Read(stream);
        Assert.Null(index.Problem);
        Assert.Equal(file.Length, index.CompleteLength);
        for (var t = 0; t < tracks.Length; t++)
        {
            var expected = frames.Where(f => f.Track == tracks[t]).ToList();
            var samples = index.Tracks[t].Samples;
            Assert.Equal(expected.Count, samples.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var (e, s) = (expected[i], samples[i]);
                Assert.Equal(e.Data.ToArray(), file.AsSpan((int)s.Offset, s.Size).ToArray());
                Assert.Equal(e.Dts - expected[0].Dts, s.Dts);
                Assert.Equal(e.CompositionOffset, s.CompositionOffset);
                Assert.Equal(t == 0 ? e.IsKeyFrame : true, s.IsSync);
                if (i + 1 < expected.Count)
                {
                    Assert.Equal(expected[i + 1].Dts - e.Dts, s.Duration);
                }
            }
        }
    }

    /// <summary>One AVCC NAL unit (4-byte length) of a slice type the parameter-set filter keeps.</summary>
    private static byte[] Nal(int seed, int size, bool h265)
    {
        var data = Payload(seed, size + 4 + 2);
        BinaryPrimitives.WriteInt32BigEndian(data, size + 2);
        (data[4], data[5]) = h265 ? ((byte)(1 << 1), (byte)1) : ((byte)0x41, data[5]); // TRAIL_R / non-IDR slice
        return data;
    }

    private static byte[] Payload(int seed, int size)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
