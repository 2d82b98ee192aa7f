using System.Buffers.Binary;
using System.Text;
using LightNvr.Fuzz.Targets;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;
using LightNvr.Testing;

namespace LightNvr.Fuzz;

/// <summary>
/// Writes the seed corpus from what the repository already holds: the RTSP transcripts, SDPs and RTP captures of
/// tests/LightNvr.Media.Tests/TestData, parameter sets from those SDPs, small fMP4 files muxed from the captures, the
/// sample lightnvr.ini, and a few request bodies. Nothing binary is committed for fuzzing; seeds stay under
/// <see cref="MaxSeedBytes"/> (afl-fuzz works best on small inputs).
/// </summary>
public static class SeedWriter
{
    /// <summary>Largest seed: afl-fuzz's docs advise inputs under 1 KB where possible and warn past 10 KB.</summary>
    public const int MaxSeedBytes = 6 * 1024;

    public static int WriteAll(string dir)
    {
        var root = RepositoryRoot();
        var data = Path.Combine(root, "tests", "LightNvr.Media.Tests", "TestData");
        var seeds = new Dictionary<string, List<byte[]>>();
        void Add(string target, byte[] seed) =>
            (seeds.TryGetValue(target, out var l) ? l : seeds[target] = []).Add(seed.Length > MaxSeedBytes ? seed[..MaxSeedBytes] : seed);

        foreach (var f in Directory.GetFiles(Path.Combine(data, "rtsp"), "*.bin").Order(StringComparer.Ordinal))
        {
            Add("rtsp", File.ReadAllBytes(f));
        }

        Add("rtsp", "$\u0001\u0000\u0004abcdRTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Length: 2\r\n\r\nhi"u8.ToArray());
        Add("rtsp", "OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\n Folded\r\n\r\n"u8.ToArray());
        var sdps = Directory.GetFiles(Path.Combine(data, "sdp"), "*.sdp")
            .Concat(Directory.GetFiles(Path.Combine(data, "codecs"), "*.sdp")).Order(StringComparer.Ordinal).ToList();
        foreach (var f in sdps)
        {
            Add("sdp", File.ReadAllBytes(f));
            ParameterSetSeeds(File.ReadAllText(f), Add);
        }

        Add("h264-sps", Convert.FromHexString("6764000cacd94141fb0110000003001000000301e0f1429960"));
        foreach (var hex in (string[])["1408", "1190", "1210", "1388", "2b920800", "f8f00000"])
        {
            Add("aac-config", Convert.FromHexString(hex));
        }

        var codecs = Path.Combine(data, "codecs");
        RtpSeeds(Capture(codecs, "gst_h264_bframes_aac", 0), "rtp-h264", Add);
        RtpSeeds(Capture(codecs, "gst_h264_baseline_pcma", 0), "rtp-h264", Add);
        RtpSeeds(Capture(codecs, "gst_h265_pcmu", 0), "rtp-h265", Add);
        RtpSeeds(Capture(codecs, "ffmpeg_h265_bframes", 0), "rtp-h265", Add);
        RtpSeeds(Capture(codecs, "gst_h264_bframes_aac", 2), "rtp-aac", Add);
        Add("mp4", Convert.FromHexString(string.Concat(File.ReadAllText(Path.Combine(root, "tests", "LightNvr.Media.Tests",
            "Mp4", "TestData", "init_h264_aac.hex")).Where(char.IsAsciiHexDigit))));
        Add("mp4", Mux(RtpTarget.H264Sdp, Capture(codecs, "gst_h264_bframes_aac", 0)));
        Add("mp4", Mux(RtpTarget.H265Sdp, Capture(codecs, "gst_h265_pcmu", 0)));
        Add("mp4", Mux(RtpTarget.AacSdp, Capture(codecs, "gst_h264_bframes_aac", 2)));

        Add("ini", File.ReadAllBytes(Path.Combine(root, "config", "lightnvr.ini")));
        Add("ini", "; c\n[general]\nlog_level = 2 ; inline\n[web]\nport: 8080\nauth_enabled = 'yes'\n[storage]\npath=\"/tmp/a b\"\n"u8.ToArray());
        Add("json-stream", """{"name":"cam","url":"rtsp://10.0.0.5:554/s","fps":15,"record":true,"detection_threshold":50.0,"retention_days":7,"isOnvif":1,"recording_schedule":[true,false,1,0]}"""u8.ToArray());
        Add("json-stream", """{"codec":"H265","priority":10.0,"tags":null,"admin_url":"http://x/","go2rtc_source_override":"ffmpeg:x"}"""u8.ToArray());
        Add("json-settings", """{"log_level":2,"web_port":8080,"storage_path":"/var/lib/lightnvr/recordings","web_auth_enabled":true}"""u8.ToArray());
        Add("json-settings", """{"api_detection_url":"http://127.0.0.1:9000/detect","pre_detection_buffer":5,"buffer_strategy":"go2rtc"}"""u8.ToArray());

        var written = 0;
        foreach (var target in FuzzTargets.All)
        {
            var folder = Path.Combine(dir, target.Name);
            Directory.CreateDirectory(folder);
            var list = seeds.GetValueOrDefault(target.Name) ?? throw new InvalidOperationException($"no seeds for {target.Name}");
            for (var i = 0; i < list.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, $"seed-{i:D2}"), list[i]);
                written++;
            }
        }

        Console.WriteLine($"seeds: {written} files for {FuzzTargets.All.Count} targets in {dir}");
        return 0;
    }

    private static void ParameterSetSeeds(string sdpText, Action<string, byte[]> add)
    {
        if (!SdpSessionDescription.TryParse(sdpText, out var sdp, out _))
        {
            return;
        }

        foreach (var format in sdp!.Media.SelectMany(m => m.GetPayloadFormats()))
        {
            foreach (var (key, value) in format.Fmtp)
            {
                var target = key switch
                {
                    "sprop-parameter-sets" => "h264-sps",
                    "sprop-vps" or "sprop-sps" => "h265-ps",
                    "config" => "aac-config",
                    _ => null,
                };
                if (target == "aac-config")
                {
                    add(target, Convert.FromHexString(value));
                }
                else if (target is not null)
                {
                    add(target, SpropParameterSets.Decode(value)[0]);
                }
            }
        }
    }

    /// <summary>The RTP packets of one interleaved channel of a capture (RFC 2326 §10.12 framing).</summary>
    private static List<byte[]> Capture(string dir, string name, int channel)
    {
        var raw = File.ReadAllBytes(Path.Combine(dir, name + ".rtp"));
        var packets = new List<byte[]>();
        for (var offset = 0; offset + 4 <= raw.Length && raw[offset] == (byte)'$';)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(offset + 2));
            if (offset + 4 + length > raw.Length)
            {
                break;
            }

            if (raw[offset + 1] == channel)
            {
                packets.Add(raw.AsSpan(offset + 4, length).ToArray());
            }

            offset += 4 + length;
        }

        return packets;
    }

    /// <summary>Three seeds per capture: its first packets, and runs from a third and two thirds in.</summary>
    private static void RtpSeeds(List<byte[]> packets, string target, Action<string, byte[]> add)
    {
        foreach (var start in (int[])[0, packets.Count / 3, 2 * packets.Count / 3])
        {
            var run = new List<byte[]>();
            var size = 0;
            foreach (var p in packets.Skip(start))
            {
                if (size + p.Length + 2 > MaxSeedBytes && run.Count > 0)
                {
                    break;
                }

                run.Add(p);
                size += p.Length + 2;
            }

            add(target, RtpTarget.Records(run));
        }
    }

    /// <summary>A small fMP4 file of the capture's first frames, fragments cut at keyframes and every few frames.</summary>
    private static byte[] Mux(string sdpText, List<byte[]> packets)
    {
        SdpSessionDescription.TryParse(sdpText, out var sdp, out _);
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(sdp!.Media[0].GetPayloadFormats()[0], 0, new TestClock(), frames.Add, out _)!;
        packets.ForEach(p => d.Push(p));
        var start = frames.FindIndex(f => f.IsKeyFrame && f.Track.IsReady);
        using var muxer = new Fmp4Muxer([frames[start].Track]);
        using var file = new MemoryStream();
        file.Write(muxer.InitSegment.Span);
        foreach (var frame in frames.Skip(start).Take(12))
        {
            if (file.Length + frame.Data.Length > MaxSeedBytes - 512)
            {
                break;
            }

            muxer.AddFrame(frame);
            if (muxer.BufferedDuration > TimeSpan.FromMilliseconds(100))
            {
                muxer.FlushFragment(file);
            }
        }

        muxer.FlushFragment(file, final: true);
        return file.ToArray();
    }

    private static string RepositoryRoot()
    {
        foreach (var start in (string[])[AppContext.BaseDirectory, Environment.CurrentDirectory])
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "LightNvr.slnx")))
                {
                    return d.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("LightNvr.slnx not found above " + AppContext.BaseDirectory);
    }
}
