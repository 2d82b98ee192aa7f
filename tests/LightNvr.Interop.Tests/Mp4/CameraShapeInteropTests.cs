using LightNvr.Media;
using LightNvr.Media.Codecs;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>
/// Frames shaped like a camera's: 90 kHz H.264 with SPS/PPS repeated in-band before every IDR (the muxer strips
/// them: avc1 keeps them in avcC) and G.711 µ-law or A-law in 20 ms packets at 8 kHz.
/// </summary>
public sealed class CameraShapeInteropTests
{
    [Theory]
    [InlineData(MediaCodec.Pcmu, "pcm_mulaw", "mulaw")]
    [InlineData(MediaCodec.Pcma, "pcm_alaw", "alaw")]
    public void H264_with_inband_parameter_sets_and_g711_decode_cleanly(MediaCodec g711, string encoder, string format)
    {
        using var dir = new TempFolder("mp4");
        var h264 = dir.File("video.h264");
        Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-t", "4", "-c:v", "libx264", "-g", "15",
            "-bf", "0", "-pix_fmt", "yuv420p", "-x264-params", "aud=1:repeat-headers=1", "-f", "h264", h264);
        var g711File = dir.File("audio.g711");
        Ffmpeg.Generate("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "4", "-ac", "1",
            "-c:a", encoder, "-f", format, g711File);

        var (video, audio, frames) = CameraFrames(h264, g711File, g711);
        var output = dir.File("camera.mp4");
        var written = MuxerInteropTests.MuxToFile(output, [video, audio], frames, new Fmp4FragmentPolicy());

        Assert.Equal("", Ffmpeg.DecodeErrors(output));
        var probe = Ffmpeg.Probe(output);
        Assert.Equal(("h264", written[0]), (probe[0].Codec, probe[0].Frames));
        Assert.Equal((encoder, written[1]), (probe[1].Codec, probe[1].Frames));
        Assert.InRange(probe[0].Duration, 4 - (1.0 / 15), 4 + (1.0 / 15));
        Assert.InRange(probe[1].Duration, 4 - 0.02, 4 + 0.02);

        // Samples lost their in-band SPS/PPS and nothing else.
        var index = Fmp4Reader.Read(output);
        var videoFrames = frames.Where(f => f.Track.Id == 0).ToList();
        for (var i = 0; i < videoFrames.Count; i++)
        {
            var expected = ParameterSetFilter.GetFilteredSize(videoFrames[i].Data.Span, MediaCodec.H264);
            Assert.Equal(expected, index.Tracks[0].Samples[i].Size);
            Assert.True(expected < videoFrames[i].Data.Length || !videoFrames[i].IsKeyFrame);
        }

        Assert.Equal("avc1.64000C", CodecString.For(video)); // x264: High profile, level 1.2 for 320x240 at 15 fps
    }

    private static (MediaTrack Video, MediaTrack Audio, List<MediaFrame> Frames) CameraFrames(string h264, string g711File,
        MediaCodec g711)
    {
        const long wallStart = 1_700_000_000_000;
        var nals = AnnexB.SplitNalUnits(File.ReadAllBytes(h264));
        var sps = nals.First(n => (n[0] & 0x1F) == 7);
        var pps = nals.First(n => (n[0] & 0x1F) == 8);
        var video = new MediaTrack
        {
            Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = sps, Pps = pps, Width = 320, Height = 240,
        };
        var audio = new MediaTrack { Id = 1, Codec = g711, ClockRate = 8000, SampleRate = 8000, Channels = 1 };

        var videoFrames = new List<MediaFrame>();
        var unit = new List<byte[]>();
        void Emit()
        {
            if (unit.Count == 0)
            {
                return;
            }

            var dts = videoFrames.Count * 6000L;
            var key = unit.Any(n => (n[0] & 0x1F) == 5);
            videoFrames.Add(new MediaFrame(video, dts, 0, key, AnnexB.LengthPrefixed(unit), wallStart + (dts / 90)));
            unit.Clear();
        }

        foreach (var nal in nals)
        {
            if ((nal[0] & 0x1F) == 9)
            {
                Emit(); // an access unit delimiter starts the next access unit
            }

            unit.Add(nal);
        }

        Emit();

        var samples = File.ReadAllBytes(g711File);
        var audioFrames = new List<MediaFrame>();
        for (var pos = 0; pos < samples.Length; pos += 160)
        {
            var data = samples.AsMemory(pos, Math.Min(160, samples.Length - pos)).ToArray();
            audioFrames.Add(new MediaFrame(audio, pos, 0, true, data, wallStart + (pos / 8)));
        }

        return (video, audio, SourceMedia.Interleave([videoFrames, audioFrames]));
    }
}
