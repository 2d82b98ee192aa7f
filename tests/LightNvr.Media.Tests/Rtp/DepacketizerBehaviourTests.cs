using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>Factory choices, track changes, access-unit boundaries, AAC AU headers.</summary>
public sealed class DepacketizerBehaviourTests
{
    private static readonly Dictionary<string, string> NoFmtp = [];

    [Theory]
    [InlineData(96, "H264", 90000, MediaCodec.H264)]
    [InlineData(96, "h265", 90000, MediaCodec.H265)]
    [InlineData(0, "PCMU", 8000, MediaCodec.Pcmu)]
    [InlineData(8, "", 0, MediaCodec.Pcma)] // static payload type without rtpmap
    public void Factory_picks_the_codec(int pt, string name, int rate, MediaCodec codec)
    {
        var d = RtpDepacketizer.Create(new RtpPayloadFormat(pt, name, rate, 1, NoFmtp), 3, TimeProvider.System, _ => { }, out var reason);
        Assert.NotNull(d);
        Assert.Null(reason);
        Assert.Equal(codec, d.Track.Codec);
        Assert.Equal(3, d.Track.Id);
    }

    [Theory]
    [InlineData(97, "MPEG4-GENERIC", "mode=AAC-hbr")] // no sizelength
    [InlineData(97, "MP4A-LATM", "")]
    [InlineData(26, "JPEG", "")]
    [InlineData(111, "opus", "")]
    public void Factory_refuses_with_a_reason(int pt, string name, string fmtp)
    {
        var map = fmtp.Length == 0 ? NoFmtp : fmtp.Split(';').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Null(RtpDepacketizer.Create(new RtpPayloadFormat(pt, name, 90000, 1, map), 0, TimeProvider.System, _ => { }, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Video_track_without_sprop_is_not_ready_until_in_band_parameter_sets_arrive()
    {
        var session = RtpCapture.Load("gst_h264_bframes_aac");
        var format = session.Format(0) with { Fmtp = new Dictionary<string, string> { ["packetization-mode"] = "1" } };
        var changes = new List<MediaTrack>();
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 0, new TestClock(), frames.Add, out _)!;
        d.TrackChanged = changes.Add;
        var initial = d.Track;
        Assert.False(initial.IsReady);
        foreach (var p in session.Rtp(0))
        {
            d.Push(p);
        }

        var changed = Assert.Single(changes);
        Assert.True(changed.IsReady);
        Assert.Equal((0, 320, 240), (changed.Id, changed.Width, changed.Height));
        Assert.Same(changed, frames[0].Track);
        Assert.Equal(1, d.Counters.TrackChanges);
    }

    [Fact]
    public void New_in_band_sps_publishes_a_new_track_with_the_same_id()
    {
        var a = RtpCapture.Load("gst_h264_bframes_aac");
        var b = RtpCapture.Load("gst_h264_baseline_pcma");
        var first = RoundTripTests.Depacketize(a.Format(0), a.Rtp(0));
        var second = RoundTripTests.Depacketize(b.Format(0), b.Rtp(0));
        var offset = first[^1].Pts + 3600;
        var all = first.Concat(second.Select(f => new MediaFrame(f.Track, f.Dts + offset, f.CompositionOffset, f.IsKeyFrame, f.Data, 0))).ToList();
        var packets = RoundTripTests.Packetize(RoundTripTests.PacketizerFor(MediaCodec.H264, 96, 1472), all);

        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(a.Format(0), 7, new TestClock(), frames.Add, out _)!;
        var initial = d.Track;
        foreach (var p in packets)
        {
            d.Push(p);
        }

        Assert.Equal(all.Count, frames.Count);
        Assert.Same(initial, frames[0].Track);
        var later = frames[first.Count].Track;
        Assert.NotSame(initial, later);
        Assert.Equal(7, later.Id);
        Assert.Equal(second[0].Track.Sps, later.Sps);
        Assert.Equal(1, d.Counters.TrackChanges);
    }

    [Fact]
    public void Access_units_end_at_a_timestamp_change_when_the_camera_never_sets_the_marker()
    {
        var session = RtpCapture.Load("gst_h264_baseline_pcma");
        var format = session.Format(0);
        var expected = RoundTripTests.Depacketize(format, session.Rtp(0));
        var packets = session.Rtp(0).Select(p => p.ToArray()).ToList();
        packets.ForEach(p => p[1] &= 0x7F);
        var frames = RoundTripTests.Depacketize(format, packets);
        // The last access unit stays open (nothing after it), everything before is identical.
        RoundTripTests.AssertSameFrames(expected.Take(expected.Count - 1).ToList(), frames);
    }

    [Fact]
    public void Aud_and_filler_are_dropped_and_stap_a_is_split()
    {
        var format = new RtpPayloadFormat(96, "H264", 90000, 1, NoFmtp);
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 0, new TestClock(), frames.Add, out _)!;
        // STAP-A: AUD (09 10), SEI (06 05 01 ff); then a filler NAL (0c ff); then an IDR slice (65 88 84) with marker.
        d.Push(Convert.FromHexString("806000010000000100000001" + "18" + "00020910" + "00040605" + "01ff"));
        d.Push(Convert.FromHexString("806000020000000100000001" + "0cff"));
        d.Push(Convert.FromHexString("80e000030000000100000001" + "658884"));
        var frame = Assert.Single(frames);
        Assert.True(frame.IsKeyFrame);
        Assert.Equal("00000004060501ff" + "00000003658884", Convert.ToHexString(frame.Data.Span).ToLowerInvariant());
        Assert.Equal(0, d.Counters.Malformed);
    }

    [Fact]
    public void Aac_packet_with_three_access_units_gives_three_frames_1024_apart()
    {
        var format = new RtpPayloadFormat(97, "mpeg4-generic", 16000, 1, new Dictionary<string, string>
        {
            ["mode"] = "AAC-hbr", ["sizelength"] = "13", ["indexlength"] = "3", ["indexdeltalength"] = "3", ["config"] = "1408",
        });
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 1, new TestClock(), frames.Add, out _)!;
        // AU-headers-length 48 bits; sizes 2, 1, 3 (size << 3 | index 0); then the AUs.
        d.Push(Convert.FromHexString("80e100010000000000000002" + "0030" + "0010" + "0008" + "0018" + "aabb" + "cc" + "ddeeff"));
        Assert.Equal(["AABB", "CC", "DDEEFF"], frames.Select(f => Convert.ToHexString(f.Data.Span)));
        Assert.Equal([0L, 1024, 2048], frames.Select(f => f.Dts));
        Assert.True(d.Track.IsReady);
    }

    [Fact]
    public void Aac_fragmented_access_unit_is_reassembled_and_a_lost_fragment_drops_it()
    {
        var format = new RtpPayloadFormat(97, "mpeg4-generic", 16000, 1, new Dictionary<string, string>
        {
            ["sizelength"] = "13", ["indexlength"] = "3", ["indexdeltalength"] = "3", ["config"] = "1408",
        });
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 1, new TestClock(), frames.Add, out _)!;
        // One 5-byte AU over two packets (AU-size 5 in both headers), marker on the second.
        d.Push(Convert.FromHexString("806100010000000000000002" + "0010" + "0028" + "010203"));
        d.Push(Convert.FromHexString("80e100020000000000000002" + "0010" + "0028" + "0405"));
        Assert.Equal("0102030405", Convert.ToHexString(Assert.Single(frames).Data.Span));

        d.Push(Convert.FromHexString("806100030000040000000002" + "0010" + "0028" + "010203"));
        d.Push(Convert.FromHexString("80e100050000040000000002" + "0010" + "0028" + "0405")); // seq 4 lost
        Assert.Equal(0, d.Counters.Lost); // still waiting for it
        d.Flush();
        Assert.Single(frames);
        Assert.Equal(1, d.Counters.Lost);
        Assert.Equal(1, d.Counters.DroppedFrames);

        // The last fragment of an AU is lost; the next AU (new timestamp) is fragmented too and must survive.
        d.Push(Convert.FromHexString("806100060000080000000002" + "0010" + "0028" + "010203"));
        d.Push(Convert.FromHexString("80610008" + "00000c00" + "00000002" + "0010" + "0028" + "0a0b0c"));
        d.Push(Convert.FromHexString("80e10009" + "00000c00" + "00000002" + "0010" + "0028" + "0d0e"));
        d.Flush();
        Assert.Equal("0A0B0C0D0E", Convert.ToHexString(frames[^1].Data.Span));
        Assert.Equal(2, d.Counters.DroppedFrames);
    }

    [Fact]
    public void H265_with_donl_fields_single_aggregation_and_fragmentation()
    {
        var format = new RtpPayloadFormat(96, "H265", 90000, 1, new Dictionary<string, string> { ["sprop-max-don-diff"] = "2" });
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 0, new TestClock(), frames.Add, out _)!;
        // Single NAL (IDR_W_RADL) with DONL 0.
        d.Push(Convert.FromHexString("80e000010000000000000001" + "2601" + "0000" + "af01"));
        // AP: DONL 1, unit of 3 bytes; DOND 0, unit of 4 bytes (TRAIL_R).
        d.Push(Convert.FromHexString("80e00002" + "00000e10" + "00000001" + "6001" + "0001" + "0003" + "40010c" + "00" + "0004" + "0201d000"));
        // FU start with DONL 2, then FU end.
        d.Push(Convert.FromHexString("80600003" + "00001c20" + "00000001" + "6201" + "81" + "0002" + "d011"));
        d.Push(Convert.FromHexString("80e00004" + "00001c20" + "00000001" + "6201" + "41" + "22"));
        Assert.Equal(0, d.Counters.Malformed);
        Assert.Equal(
            ["00000004" + "2601AF01", "00000003" + "40010C" + "00000004" + "0201D000", "00000005" + "0201D01122"],
            frames.Select(f => Convert.ToHexString(f.Data.Span)));
        Assert.Equal([true, false, false], frames.Select(f => f.IsKeyFrame));
        Assert.Equal(25, ((VideoDepacketizer)d).FrameRate, 3);
    }

    [Theory]
    [InlineData("18" + "0002" + "1c80")] // STAP-A holding an FU-A header
    [InlineData("1c" + "98" + "00")] // FU-A carrying type 24
    [InlineData("19" + "0002" + "6588")] // STAP-B (interleaved mode)
    [InlineData("18" + "0005" + "65")] // STAP-A unit size past the end
    [InlineData("1c" + "c5" + "88")] // FU-A with start and end both set (RFC 6184 §5.8)
    public void Malformed_h264_payloads_are_counted(string payloadHex)
    {
        var d = RtpDepacketizer.Create(new RtpPayloadFormat(96, "H264", 90000, 1, NoFmtp), 0, new TestClock(), _ => { }, out _)!;
        d.Push(Convert.FromHexString("80e000010000000000000001" + payloadHex));
        Assert.Equal(1, d.Counters.Malformed);
    }

    [Fact]
    public void An_h265_fragment_with_start_and_end_both_set_is_counted()
    {
        var d = RtpDepacketizer.Create(new RtpPayloadFormat(96, "H265", 90000, 1, NoFmtp), 0, new TestClock(), _ => { }, out _)!;
        d.Push(Convert.FromHexString("80e00001000000000000000162" + "01" + "c1" + "af88"));
        Assert.Equal(1, d.Counters.Malformed);
    }
    [Theory]
    [InlineData("658884", true)] // nal_ref_idc 3, first_mb 0, slice_type 7 (I), pps 0
    [InlineData("65b8", true)] // slice_type 2 (I): "1 011 1"
    [InlineData("05888400", false)] // nal_ref_idc 0: an IDR is always a reference picture (§7.4.1)
    [InlineData("65e0", false)] // slice_type 0 (P) in an IDR
    [InlineData("65a0", false)] // slice_type 1 (B) in an IDR
    [InlineData("658840", false)] // pic_parameter_set_id 1 ("010"): no such PPS (the SDP gave PPS 0)
    public void An_idr_slice_must_be_intra_and_name_a_known_pps(string nalHex, bool kept)
    {
        var fmtp = new Dictionary<string, string> { ["sprop-parameter-sets"] = "Z0LAHtkBQHsBEAAAAwAQAAADAyDxYuSA,aMuMsg==" };
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(new RtpPayloadFormat(96, "H264", 90000, 1, fmtp), 0, new TestClock(), frames.Add, out _)!;
        d.Push(Convert.FromHexString("80e000010000000100000001" + nalHex));

        Assert.Equal(kept ? 1 : 0, frames.Count(f => f.IsKeyFrame));
        Assert.Equal(kept ? 0 : 1, d.Counters.Malformed);
    }

    [Fact]
    public void Random_bytes_labelled_idr_rarely_make_a_keyframe()
    {
        var fmtp = new Dictionary<string, string> { ["sprop-parameter-sets"] = "Z0LAHtkBQHsBEAAAAwAQAAADAyDxYuSA,aMuMsg==" };
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(new RtpPayloadFormat(96, "H264", 90000, 1, fmtp), 0, new TestClock(), frames.Add, out _)!;
        var random = new Random(11);
        const int Tries = 4000;
        for (var i = 0; i < Tries; i++)
        {
            var nal = new byte[40];
            random.NextBytes(nal);
            nal[0] = (byte)((nal[0] & 0x60) | 0x05); // forbidden bit 0, any nal_ref_idc, type 5
            nal[1] |= 0x80; // first_mb_in_slice = 0, so it starts a picture
            // RTP header: marker set (each packet is a whole access unit), sequence i, timestamp 3600·i, SSRC 1.
            var header = new byte[12];
            header[0] = 0x80;
            header[1] = 0xE0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)i);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)(i * 3600));
            header[11] = 1;
            d.Push([.. header, .. nal]);
        }

        // Before the check every one of them was a keyframe. nal_ref_idc ≠ 0 (3/4) × an intra slice_type (≈ 0.17) ×
        // PPS 0 (1/2) ≈ 1 in 16.
        var keyframes = frames.Count(f => f.IsKeyFrame);
        Assert.InRange(keyframes, Tries / 32, Tries / 10);
    }
}
