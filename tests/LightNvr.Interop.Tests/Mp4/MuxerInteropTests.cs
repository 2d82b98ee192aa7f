using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>Our muxer's files judged by ffmpeg/ffprobe: clean decode, every frame counted, durations right.</summary>
public sealed class MuxerInteropTests
{
    [Theory]
    [InlineData("h264_aac", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p", "aac")]
    [InlineData("h264_bframes", "-c:v libx264 -g 15 -bf 2 -pix_fmt yuv420p", "aac")]
    [InlineData("h264_only", "-c:v libx264 -g 30 -bf 0 -pix_fmt yuv420p", null)]
    [InlineData("h264_opus", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p", "opus")]
    [InlineData("h265_aac", "-c:v libx265 -g 15 -bf 0 -pix_fmt yuv420p -x265-params log-level=error", "aac")]
    [InlineData("h265_bframes", "-c:v libx265 -g 15 -bf 2 -pix_fmt yuv420p -x265-params log-level=error", null)]
    public void Muxed_file_decodes_cleanly_with_every_frame(string name, string video, string? audio)
    {
        using var dir = new TempFolder("mp4");
        var source = SourceMedia.Encode(dir, name + "_src.mp4", video, audio);
        var frames = SourceMedia.Frames(source, out var tracks);
        var output = dir.File(name + ".mp4");
        var written = MuxToFile(output, tracks, frames, new Fmp4FragmentPolicy());

        Assert.Equal("", Ffmpeg.DecodeErrors(output));
        var probe = Ffmpeg.Probe(output);
        Assert.Equal(tracks.Count, probe.Count);
        for (var i = 0; i < tracks.Count; i++)
        {
            Assert.Equal(written[i], probe[i].Frames);
        }

        Assert.InRange(probe[0].Duration, 4 - (1.0 / 15), 4 + (1.0 / 15));
        Fmp4RoundTrip.AssertSamplesEqual(output, tracks, frames);
    }

    /// <summary>Muxes the frames with the policy; returns the number of samples written per track.</summary>
    internal static int[] MuxToFile(string path, IReadOnlyList<MediaTrack> tracks, IEnumerable<MediaFrame> frames,
        Fmp4FragmentPolicy policy, Fmp4MuxerOptions? options = null)
    {
        var counts = new int[tracks.Count];
        using var file = File.Create(path);
        using var muxer = new Fmp4Muxer(tracks, options);
        file.Write(muxer.InitSegment.Span);
        foreach (var f in frames)
        {
            Assert.Equal(Fmp4AddResult.Added, muxer.AddFrame(f));
            counts[f.Track.Id]++;
            if (policy.ShouldFlush(muxer))
            {
                muxer.FlushFragment(file);
            }
        }

        muxer.FlushFragment(file, final: true);
        return counts;
    }
}
