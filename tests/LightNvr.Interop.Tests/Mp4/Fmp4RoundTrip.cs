using LightNvr.Media;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>Our reader's view of a file we muxed must equal what went in (timing rebased to the first frame).</summary>
internal static class Fmp4RoundTrip
{
    public static void AssertSamplesEqual(string path, IReadOnlyList<MediaTrack> tracks, IReadOnlyList<MediaFrame> frames)
    {
        var index = Fmp4Reader.Read(path);
        Assert.Null(index.Problem);
        Assert.Equal(new FileInfo(path).Length, index.CompleteLength);
        Assert.Equal(tracks.Count, index.Tracks.Count);
        var bytes = File.ReadAllBytes(path);
        for (var t = 0; t < tracks.Count; t++)
        {
            var info = index.Tracks[t];
            Assert.Equal(tracks[t].Codec, info.Track.Codec);
            Assert.Equal(tracks[t].Sps, info.Track.Sps);
            Assert.Equal(tracks[t].Pps, info.Track.Pps);
            Assert.Equal(tracks[t].AudioSpecificConfig, info.Track.AudioSpecificConfig);
            var expected = frames.Where(f => f.Track.Id == t).ToList();
            Assert.Equal(expected.Count, info.Samples.Count);
            var first = expected[0].Dts - info.Samples[0].Dts;
            for (var i = 0; i < expected.Count; i++)
            {
                var s = info.Samples[i];
                Assert.Equal(expected[i].Dts - first, s.Dts);
                Assert.Equal(expected[i].CompositionOffset, s.CompositionOffset);
                Assert.Equal(expected[i].IsKeyFrame || tracks[t].Kind == MediaKind.Audio, s.IsSync);
                if (i + 1 < expected.Count)
                {
                    Assert.Equal(expected[i + 1].Dts - expected[i].Dts, s.Duration);
                }

                Assert.True(bytes.AsSpan((int)s.Offset, s.Size).SequenceEqual(expected[i].Data.Span), $"sample {i} data");
            }
        }
    }
}
