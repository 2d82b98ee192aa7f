using System.Buffers;
using System.Text;
using LightNvr.Media.Rtp;
using LightNvr.Media.Rtsp;
using LightNvr.Media.Sdp;
using LightNvr.Media.Tests.Rtsp;

namespace LightNvr.Media.Tests.Sdp;

/// <summary>
/// RFC 8866 parsing of real and real-style SDPs: GStreamer captures (TestData/sdp) and the DESCRIBE bodies of the
/// camera-style cases in <see cref="RtspMessageCases"/>, plus the corner cases cameras produce.
/// </summary>
public sealed class SdpSessionDescriptionTests
{
    [Fact]
    public void Gstreamer_h264_aac()
    {
        var sdp = Parse(TestFiles.Read("sdp/gst-h264-aac.sdp"));
        Assert.Equal("*", sdp.Control);
        Assert.Equal("Session streamed with GStreamer", sdp.SessionName);
        Assert.Equal(2, sdp.Media.Count);

        var video = sdp.Media[0];
        Assert.Equal("video", video.Media);
        Assert.Equal("stream=0", video.Control);
        Assert.Equal("IP4", video.Connection!.AddressType);
        var h264 = Assert.Single(video.GetPayloadFormats());
        Assert.Equal((96, "H264", 90000, 1), (h264.PayloadType, h264.EncodingName, h264.ClockRate, h264.Channels));
        Assert.Equal("Z0LAFtoCgL/lwFqDAwNSgAAAAwCAAAAPR4sXUA==,aM48gA==", h264.Fmtp["sprop-parameter-sets"]);
        Assert.Equal("1", h264.Fmtp["packetization-mode"]);

        var aac = Assert.Single(sdp.Media[1].GetPayloadFormats());
        Assert.Equal(("MPEG4-GENERIC", 16000, 1), (aac.EncodingName, aac.ClockRate, aac.Channels));
        Assert.Equal("1408", aac.Fmtp["config"]);
        Assert.Equal("13", aac.Fmtp["sizelength"]);
        Assert.Equal("3", aac.Fmtp["indexlength"]);
        Assert.Equal("AAC-hbr", aac.Fmtp["mode"]);
    }

    [Fact]
    public void Gstreamer_h265_pcmu()
    {
        var sdp = Parse(TestFiles.Read("sdp/gst-h265-pcmu.sdp"));
        var h265 = Assert.Single(sdp.Media[0].GetPayloadFormats());
        Assert.Equal("H265", h265.EncodingName);
        Assert.Equal("QAEMAf//BAgAAAMAmAgAAAMAAD+6AkA=", h265.Fmtp["sprop-vps"]);
        Assert.StartsWith("QgEBBAgAAAMAmAgAAAMAAD", h265.Fmtp["sprop-sps"], StringComparison.Ordinal);
        Assert.Equal("RAHAcDBgMSA=", h265.Fmtp["sprop-pps"]);
        var pcmu = Assert.Single(sdp.Media[1].GetPayloadFormats());
        Assert.Equal((0, "PCMU", 8000), (pcmu.PayloadType, pcmu.EncodingName, pcmu.ClockRate));
    }

    [Fact]
    public void Captured_sdps_give_depacketizer_tracks_with_the_size_from_the_sps()
    {
        // End to end with wt/rtp's factory: the SDP alone tells the picture size of GStreamer's 640x360 cameras.
        foreach (var file in new[] { "sdp/gst-h264-aac.sdp", "sdp/gst-h265-pcmu.sdp" })
        {
            var format = Parse(TestFiles.Read(file)).Media[0].GetPayloadFormats()[0];
            var depacketizer = RtpDepacketizer.Create(format, 0, TimeProvider.System, _ => { }, out var reason);
            Assert.True(depacketizer is not null, reason);
            Assert.Equal((640, 360), (depacketizer.Track.Width, depacketizer.Track.Height));
        }
    }

    [Theory]
    [InlineData("hikvision-describe-h264-pcmu", "rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast", "H264,PCMU")]
    [InlineData("dahua-describe-h265-pcma", "*", "H265,PCMA,vnd.onvif.metadata")]
    [InlineData("axis-describe-h264-aac", "rtsp://192.168.0.90/axis-media/media.amp?audio=1", "H264,MPEG4-GENERIC")]
    [InlineData("reolink-describe-h264-aac", "*", "H264,MPEG4-GENERIC")]
    public void Camera_style_describe_bodies(string caseName, string sessionControl, string encodings)
    {
        Assert.True(RtspMessageParser.TryParse(new ReadOnlySequence<byte>(RtspMessageCases.Get(caseName).Bytes),
            out var message, out _, out _));
        var sdp = Parse(message.Response!.Body.ToArray());

        Assert.Equal(sessionControl, sdp.Control);
        Assert.Equal(encodings, string.Join(',', sdp.Media.Select(m => m.GetPayloadFormats()[0].EncodingName)));
        Assert.All(sdp.Media, m => Assert.NotNull(m.Control));
    }

    [Fact]
    public void Axis_fmtp_keys_are_lower_cased_and_trailing_semicolon_ignored()
    {
        var sdp = Parse(BodyOf("axis-describe-h264-aac"));
        var aac = sdp.Media[1].GetPayloadFormats()[0];
        Assert.Equal("13", aac.Fmtp["sizelength"]);
        Assert.Equal("3", aac.Fmtp["indexdeltalength"]);
        Assert.Equal("32000", aac.Fmtp["bitrate"]);
    }

    [Fact]
    public void Static_payload_types_without_rtpmap_and_several_formats_on_one_line()
    {
        var sdp = Parse(Encoding.ASCII.GetBytes(
            "v=0\r\no=- 0 0 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" +
            "m=audio 0 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=control:audio\r\n" +
            "m=video 0 RTP/AVP 96 97 98\r\na=rtpmap:96 H264/90000\r\na=rtpmap:97 H265/90000\r\na=control:video\r\n"));

        Assert.Equal("10.0.0.1", sdp.Connection!.Address);
        var audio = sdp.Media[0].GetPayloadFormats();
        Assert.Equal(["PCMU", "PCMA", "telephone-event"], audio.Select(f => f.EncodingName));
        Assert.Equal([8000, 8000, 8000], audio.Select(f => f.ClockRate));
        Assert.True(audio[2].Fmtp.ContainsKey("0-15"));

        // 98 is dynamic without rtpmap: it cannot be interpreted and is left out.
        Assert.Equal([96, 97], sdp.Media[1].GetPayloadFormats().Select(f => f.PayloadType));
    }

    [Fact]
    public void Bare_lf_missing_version_and_unknown_lines_are_tolerated()
    {
        var sdp = Parse("s=cam\nx-junk\nm=video 5000/2 RTP/AVP 96\nc=IN IP6 ::1\na=rtpmap:96 h264/90000  \na=sendonly\n"u8.ToArray());
        var media = Assert.Single(sdp.Media);
        Assert.Equal(5000, media.Port);
        Assert.Equal("::1", media.Connection!.Address);
        Assert.Equal("h264", media.GetPayloadFormats()[0].EncodingName);
        Assert.Contains(media.Attributes, a => a is { Name: "sendonly", Value: null });
    }

    [Theory]
    [InlineData("m=video\r\n", "needs media, port and proto")]
    [InlineData("m=video x RTP/AVP 96\r\n", "bad port")]
    [InlineData("m=video 99999 RTP/AVP 96\r\n", "bad port")]
    public void Bad_media_lines_fail_with_the_line_number(string mline, string error)
    {
        Assert.False(SdpSessionDescription.TryParse("v=0\r\n" + mline, out _, out var message));
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        Assert.Contains(error, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_enforced()
    {
        var many = string.Concat(Enumerable.Repeat("m=audio 0 RTP/AVP 0\r\n", SdpLimits.MaxMediaDescriptions + 1));
        Assert.False(SdpSessionDescription.TryParse(many, out _, out var e1));
        Assert.Contains("media descriptions", e1, StringComparison.Ordinal);

        var attrs = "m=audio 0 RTP/AVP 0\r\n" + string.Concat(Enumerable.Repeat("a=x\r\n", SdpLimits.MaxAttributesPerSection + 1));
        Assert.False(SdpSessionDescription.TryParse(attrs, out _, out var e2));
        Assert.Contains("attributes", e2, StringComparison.Ordinal);

        Assert.False(SdpSessionDescription.TryParse(new byte[SdpLimits.MaxLength + 1], out _, out _));
    }

    [Fact]
    public void Mutated_sdps_never_throw()
    {
        var random = new Random(8866);
        var inputs = new[] { TestFiles.Read("sdp/gst-h264-aac.sdp"), TestFiles.Read("sdp/gst-h265-pcmu.sdp"), BodyOf("dahua-describe-h265-pcma") };
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])inputs[random.Next(inputs.Length)].Clone();
            for (var m = 0; m < 1 + random.Next(8); m++)
            {
                bytes[random.Next(bytes.Length)] = "=:/; \n0123456789am*,"u8[random.Next(20)];
            }

            if (SdpSessionDescription.TryParse(bytes, out var sdp, out _))
            {
                foreach (var media in sdp!.Media)
                {
                    foreach (var format in media.GetPayloadFormats())
                    {
                        RtpDepacketizer.Create(format, 0, TimeProvider.System, _ => { }, out _);
                    }
                }
            }
        }
    }

    private static byte[] BodyOf(string caseName)
    {
        Assert.True(RtspMessageParser.TryParse(new ReadOnlySequence<byte>(RtspMessageCases.Get(caseName).Bytes),
            out var message, out _, out _));
        return message.Response!.Body.ToArray();
    }

    private static SdpSessionDescription Parse(byte[] bytes)
    {
        Assert.True(SdpSessionDescription.TryParse(bytes, out var sdp, out var error), error);
        return sdp!;
    }
}
