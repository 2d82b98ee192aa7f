using LightNvr.Media;
using LightNvr.Recording;

namespace LightNvr.Tests.Support;

/// <summary>
/// Real segment files as the recorder writes them (<see cref="SegmentFile"/>: our muxer, init segment then ~1 s
/// fragments, named from the local start): 640x360 H.264 at 25 fps with a keyframe every second (synthetic frame
/// payloads: the recording path never decodes, and our MP4 reader only indexes).
/// </summary>
internal static class SegmentWriter
{
    public static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0xC0, 0x1E, 0xD9, 0x00], Pps = [0x68, 0xCE, 0x3C, 0x80],
        Width = 640, Height = 360,
    };

    /// <summary>Writes <paramref name="seconds"/> of video (0: init segment only) and returns the file's path.</summary>
    public static string Write(string directory, DateTime localStart, int seconds)
    {
        using var file = SegmentFile.Create(directory, localStart, [Video], null);
        for (var n = 0; n < seconds * 25; n++)
        {
            file.Add(new MediaFrame(Video, n * 3600L, 0, n % 25 == 0, new byte[] { 0, 0, 0, 2, 0x65, 0x88 }, n * 40L));
        }
        if (seconds > 0)
        {
            file.Finish(final: true);
        }
        return file.Path;
    }

    /// <summary>Appends the start of a fragment that never got finished: what kill -9 leaves mid-write.</summary>
    public static void AppendCutFragment(string path)
    {
        using var stream = new FileStream(path, FileMode.Append);
        stream.Write([0, 0, 0x10, 0, (byte)'m', (byte)'o', (byte)'o', (byte)'f', 0, 0, 0, 16]);
    }
}
