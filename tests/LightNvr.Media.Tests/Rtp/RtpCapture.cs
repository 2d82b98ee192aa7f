using System.Buffers.Binary;
using LightNvr.Media.Rtp;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>
/// A camera session captured by TestData/codecs/capture_rtsp.py: the SDP and the raw RTSP interleaved stream
/// (RFC 2326 §10.12). The SDP reading here is test-only (the real SDP parser lives in Sdp/).
/// </summary>
internal sealed class RtpCapture
{
    private RtpCapture(string sdp, List<(int Channel, byte[] Packet)> packets)
    {
        Sdp = sdp;
        Packets = packets;
    }

    public string Sdp { get; }

    public List<(int Channel, byte[] Packet)> Packets { get; }

    public static string DataDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "LightNvr.Media.Tests", "TestData", "codecs");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("TestData/codecs not found above " + AppContext.BaseDirectory);
        }
    }

    public static RtpCapture Load(string name)
    {
        var sdp = File.ReadAllText(Path.Combine(DataDirectory, name + ".sdp"));
        var raw = File.ReadAllBytes(Path.Combine(DataDirectory, name + ".rtp"));
        var packets = new List<(int, byte[])>();
        var offset = 0;
        while (offset + 4 <= raw.Length && raw[offset] == (byte)'$')
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(offset + 2));
            if (offset + 4 + length > raw.Length)
            {
                break; // the capture stopped mid-packet
            }

            packets.Add((raw[offset + 1], raw.AsSpan(offset + 4, length).ToArray()));
            offset += 4 + length;
        }

        return new RtpCapture(sdp, packets);
    }

    /// <summary>The payload format of the <paramref name="index"/>-th media section.</summary>
    public RtpPayloadFormat Format(int index)
    {
        var media = Sdp.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\nm=")[index + 1];
        var lines = media.Split('\n', StringSplitOptions.TrimEntries);
        var pt = int.Parse(lines[0].Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
        var rtpmap = lines.First(l => l.StartsWith("a=rtpmap:", StringComparison.Ordinal)).Split(' ', 2)[1].Split('/');
        var fmtp = new Dictionary<string, string>();
        var fmtpLine = lines.FirstOrDefault(l => l.StartsWith("a=fmtp:", StringComparison.Ordinal));
        if (fmtpLine is not null)
        {
            foreach (var pair in fmtpLine.Split(' ', 2)[1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                fmtp[pair[..eq].ToLowerInvariant()] = pair[(eq + 1)..];
            }
        }

        return new RtpPayloadFormat(pt, rtpmap[0], int.Parse(rtpmap[1], System.Globalization.CultureInfo.InvariantCulture),
            rtpmap.Length > 2 ? int.Parse(rtpmap[2], System.Globalization.CultureInfo.InvariantCulture) : 1, fmtp);
    }

    /// <summary>RTP packets of media section <paramref name="index"/> (interleaved channel 2·index).</summary>
    public IEnumerable<byte[]> Rtp(int index) => Packets.Where(p => p.Channel == 2 * index).Select(p => p.Packet);

    /// <summary>RTCP packets of media section <paramref name="index"/>.</summary>
    public IEnumerable<byte[]> Rtcp(int index) => Packets.Where(p => p.Channel == (2 * index) + 1).Select(p => p.Packet);
}
