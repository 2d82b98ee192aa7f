using LightNvr.Media;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>
/// Real encoded frames for the muxer: ffmpeg encodes a test pattern (and a tone) into a fragmented MP4, our reader
/// indexes it, and the samples come back as <see cref="MediaFrame"/>s in the order a camera would deliver them
/// (interleaved by decode time), with the DTS/composition offsets ffmpeg's encoder chose.
/// </summary>
internal static class SourceMedia
{
    public static string Encode(TempFolder dir, string name, string video, string? audio, int seconds = 4, string extra = "")
    {
        var path = dir.File(name);
        var args = new List<string> { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15" };
        if (audio is not null)
        {
            args.AddRange(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + (audio is "aac" or "opus" ? "48000" : "8000")]);
        }

        args.AddRange(["-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        args.AddRange(video.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (audio == "aac")
        {
            args.AddRange(["-c:a", "aac", "-b:a", "64k"]);
        }
        else if (audio == "opus")
        {
            args.AddRange(["-c:a", "libopus", "-b:a", "32k"]);
        }

        args.AddRange(extra.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        args.AddRange(["-movflags", "empty_moov+default_base_moof+frag_keyframe", "-f", "mp4", path]);
        Ffmpeg.Generate([.. args]);
        return path;
    }

    /// <summary>All samples of the file as frames, interleaved by decode time.</summary>
    public static List<MediaFrame> Frames(string path, out List<MediaTrack> tracks)
    {
        var index = Fmp4Reader.Read(path);
        tracks = [];
        var perTrack = new List<List<MediaFrame>>();
        var bytes = File.ReadAllBytes(path);
        foreach (var t in index.Tracks)
        {
            tracks.Add(t.Track);
            var list = new List<MediaFrame>();
            foreach (var s in t.Samples)
            {
                var data = bytes.AsMemory((int)s.Offset, s.Size).ToArray();
                list.Add(new MediaFrame(t.Track, s.Dts, s.CompositionOffset, s.IsSync, data,
                    1_700_000_000_000 + (s.Dts * 1000 / t.Timescale)));
            }

            perTrack.Add(list);
        }

        return Interleave(perTrack);
    }

    public static List<MediaFrame> Interleave(List<List<MediaFrame>> perTrack)
    {
        var all = new List<MediaFrame>();
        var next = new int[perTrack.Count];
        while (true)
        {
            var best = -1;
            for (var i = 0; i < perTrack.Count; i++)
            {
                if (next[i] < perTrack[i].Count && (best < 0 || Seconds(perTrack[i][next[i]]) < Seconds(perTrack[best][next[best]])))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                return all;
            }

            all.Add(perTrack[best][next[best]++]);
        }
    }

    private static double Seconds(MediaFrame f) => (double)f.Dts / f.Track.ClockRate;
}
