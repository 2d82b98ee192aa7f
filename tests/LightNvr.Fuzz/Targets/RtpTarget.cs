using System.Buffers.Binary;
using LightNvr.Media;
using LightNvr.Media.Codecs;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;
using LightNvr.Testing;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// A camera's RTP packets for one track, as records <c>[u16 big-endian length][packet]</c> (seeds: real captures),
/// 20 ms apart. The depacketizer's contract (RtpDepacketizer): <c>Push</c> never throws, bad input is counted. Every
/// frame out is well formed (video AVCC, DTS never decreasing, composition offset ≥ 0) and goes on into the recorder's
/// <see cref="Fmp4Muxer"/>, which must take it without throwing.
/// </summary>
public static class RtpTarget
{
    /// <summary>The payload formats of the captures in tests/LightNvr.Media.Tests/TestData/codecs (their SDPs).</summary>
    public const string H264Sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z01ADeygoP2AtQYGBqUAAAMAAQAAAwAyjxQplg==,aM48gA==\r\n";

    public const string H265Sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n" +
        "a=fmtp:96 sprop-vps=QAEMAf//BAgAAAMAmAgAAAMAADy6AkA=;" +
        "sprop-sps=QgEBBAgAAAMAmAgAAAMAADyQAUEB4ilLdJSYX/4AAgAC1BgYGBAAAAMAEAAAAwGQgA==;sprop-pps=RAHAcDBgMSA=\r\n";

    public const string AacSdp = "v=0\r\nm=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\n" +
        "a=fmtp:97 streamtype=5;profile-level-id=2;mode=AAC-hbr;config=1408;sizelength=13;indexlength=3;indexdeltalength=3\r\n";

    /// <summary>Longest fragment before a cut even without a keyframe: the recorder's ~1 s (docs/recording.md).</summary>
    private static readonly TimeSpan MaxFragment = TimeSpan.FromSeconds(1);

    private static readonly RtpPayloadFormat H264 = FormatOf(H264Sdp);
    private static readonly RtpPayloadFormat H265 = FormatOf(H265Sdp);
    private static readonly RtpPayloadFormat Aac = FormatOf(AacSdp);

    public static void RunH264(byte[] data) => Run(H264, data);

    public static void RunH265(byte[] data) => Run(H265, data);

    public static void RunAac(byte[] data) => Run(Aac, data);

    /// <summary>Splits <paramref name="data"/> into the packets it holds (a cut-short last record is dropped).</summary>
    public static List<ReadOnlyMemory<byte>> Packets(byte[] data)
    {
        var packets = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset + 2 <= data.Length;)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset));
            offset += 2;
            length = (ushort)Math.Min(length, data.Length - offset);
            packets.Add(data.AsMemory(offset, length));
            offset += length;
        }

        return packets;
    }

    /// <summary>Joins packets into one input of this target's record format.</summary>
    public static byte[] Records(IEnumerable<byte[]> packets)
    {
        using var ms = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        foreach (var p in packets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)p.Length);
            ms.Write(length);
            ms.Write(p);
        }

        return ms.ToArray();
    }

    private static void Run(RtpPayloadFormat format, byte[] data)
    {
        var clock = new TestClock();
        var recorder = new Recorder();
        var d = RtpDepacketizer.Create(format, 0, clock, recorder.Add, out var reason)
            ?? throw new InvalidOperationException(reason);
        var packets = Packets(data);
        foreach (var packet in packets)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            d.Push(packet.Span);
        }

        d.Flush();
        recorder.Finish();
        Span<byte> report = stackalloc byte[256];
        d.WriteReceiverReport(report, 1, "fuzz");
        if (d.Counters.Packets != packets.Count)
        {
            throw new FuzzInvariantException($"{packets.Count} packets pushed, {d.Counters.Packets} counted");
        }
    }

    /// <summary>Checks each frame and muxes it as the recorder does: a new muxer whenever the track changes.</summary>
    private sealed class Recorder
    {
        private Fmp4Muxer? _muxer;
        private long _lastDts = long.MinValue;
        private readonly MemoryStream _file = new();

        public void Add(MediaFrame frame)
        {
            Check(frame);
            if (_muxer is null || _muxer.AddFrame(frame) == Fmp4AddResult.TrackChanged)
            {
                Finish();
                if (!frame.Track.IsReady || !Fmp4Muxer.CanMux(frame.Track))
                {
                    return;
                }

                _muxer = new Fmp4Muxer([frame.Track]);
                _file.Write(_muxer.InitSegment.Span);
                _muxer.AddFrame(frame);
            }

            if (_muxer.NextSampleIsKeyFrame || _muxer.BufferedDuration > MaxFragment)
            {
                _muxer.FlushFragment(_file);
            }
        }

        public void Finish()
        {
            if (_muxer is null)
            {
                return;
            }

            _muxer.FlushFragment(_file, final: true);
            _muxer.Dispose();
            _muxer = null;
        }

        private void Check(MediaFrame frame)
        {
            if (frame.CompositionOffset < 0 || frame.Data.IsEmpty || frame.Dts < _lastDts)
            {
                throw new FuzzInvariantException(
                    $"bad frame: dts {frame.Dts} after {_lastDts}, offset {frame.CompositionOffset}, {frame.Data.Length} bytes");
            }

            _lastDts = frame.Dts;
            if (frame.Track.Kind == MediaKind.Video && !Avcc.IsValid(frame.Data.Span))
            {
                throw new FuzzInvariantException($"video frame of {frame.Data.Length} bytes is not valid AVCC");
            }
        }
    }

    private static RtpPayloadFormat FormatOf(string sdp) =>
        SdpSessionDescription.TryParse(sdp, out var s, out var error)
            ? s!.Media[0].GetPayloadFormats()[0]
            : throw new InvalidOperationException(error);
}
