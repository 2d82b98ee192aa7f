using System.Buffers;
using System.Text;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// <see cref="RtspMessageParser"/> over the case table: each case parses to one item, writes back byte-exact,
/// needs more at every prefix, and gives the same result at every split (Kestrel's HttpParserTests approach).
/// </summary>
public sealed class RtspMessageParserTests
{
    public static TheoryData<string> Cases => RtspMessageCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_parses_to_exactly_one_item(string name)
    {
        var c = RtspMessageCases.Get(name);
        var parsed = ParsedStream.Parse(c.Bytes);

        Assert.Single(parsed.Items);
        Assert.Equal(0, parsed.Errors);
        Assert.Equal(0, parsed.Pending);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Canonical_cases_write_back_byte_exact(string name)
    {
        var c = RtspMessageCases.Get(name);
        Assert.True(RtspMessageParser.TryParse(new ReadOnlySequence<byte>(c.Bytes), out var m, out _, out _));
        var written = m.Kind switch
        {
            RtspMessageKind.Request => m.Request!.ToArray(),
            RtspMessageKind.Response => m.Response!.ToArray(),
            _ => Interleaved(m),
        };

        if (c.Canonical)
        {
            Assert.Equal(Encoding.UTF8.GetString(c.Bytes), Encoding.UTF8.GetString(written));
            Assert.Equal(c.Bytes, written);
        }

        // Canonical or not, what we write parses to the same message.
        Assert.Equal(ParsedStream.Describe(m), ParsedStream.Parse(written).Items.Single());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_prefix_needs_more(string name)
    {
        var bytes = RtspMessageCases.Get(name).Bytes;
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(RtspMessageParser.TryParse(prefix, out _, out _, out var examined), $"prefix {length}");
            Assert.Equal(prefix.End, examined);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_split_gives_the_same_item(string name)
    {
        var bytes = RtspMessageCases.Get(name).Bytes;
        var expected = ParsedStream.Parse(bytes).Items;
        for (var split = 0; split <= bytes.Length; split++)
        {
            var stream = new ParsedStream();
            stream.Feed(bytes.AsMemory(0, split));
            stream.Feed(bytes.AsMemory(split));
            Assert.Equal(expected, stream.Items);
            Assert.Equal(0, stream.Pending);
        }
    }

    [Theory]
    [InlineData("rtsp/gst-h264-aac-play-stream.bin")]
    [InlineData("rtsp/gst-h265-pcmu-play-stream.bin")]
    public void Captured_play_reply_with_interleaved_frames_parses_at_every_split(string file)
    {
        // The capture is cut at an arbitrary byte, so the last frame may be incomplete: it stays pending.
        var bytes = TestFiles.Read(file).AsSpan(0, 2500).ToArray();
        var whole = ParsedStream.Parse(bytes);
        Assert.StartsWith("Response 200 OK", whole.Items[0], StringComparison.Ordinal);
        Assert.True(whole.Items.Count > 3);
        Assert.All(whole.Items.Skip(1), i => Assert.StartsWith("Interleaved ch=", i, StringComparison.Ordinal));
        Assert.Equal(0, whole.Errors);

        for (var split = 0; split <= bytes.Length; split++)
        {
            var stream = new ParsedStream();
            stream.Feed(bytes.AsMemory(0, split));
            stream.Feed(bytes.AsMemory(split));
            Assert.Equal(whole.Items, stream.Items);
            Assert.Equal(whole.Pending, stream.Pending);
        }
    }

    [Fact]
    public void All_cases_back_to_back_parse_in_one_stream_at_every_split()
    {
        var all = RtspMessageCases.All.SelectMany(c => c.Bytes).ToArray();
        var expected = RtspMessageCases.All.Select(c => ParsedStream.Parse(c.Bytes).Items.Single()).ToList();
        Assert.Equal(expected, ParsedStream.Parse(all).Items);
        for (var split = 0; split <= all.Length; split += 7)
        {
            var stream = new ParsedStream();
            stream.Feed(all.AsMemory(0, split));
            stream.Feed(all.AsMemory(split));
            Assert.Equal(expected, stream.Items);
        }
    }

    [Fact]
    public void Fields_of_real_replies()
    {
        var hik = Parse("hikvision-401-digest-and-basic").Response!;
        Assert.Equal(401, hik.StatusCode);
        Assert.Equal(2, hik.Headers.GetAll("www-authenticate").Count());
        Assert.Equal(2, hik.CSeq);

        var dahua = Parse("dahua-describe-h265-pcma").Response!;
        Assert.Equal("rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=0/", dahua.Headers["content-base"]);
        Assert.Equal(int.Parse(dahua.Headers["Content-Length"]!, System.Globalization.CultureInfo.InvariantCulture), dahua.Body.Length);

        Assert.Equal("OPTIONS, DESCRIBE, SETUP, PLAY", Parse("folded-header").Response!.Headers["Public"]);
        Assert.Equal(7, Parse("bare-lf-line-ends").Response!.CSeq);
        Assert.Equal("", Parse("no-reason-phrase").Response!.ReasonPhrase);

        var request = Parse("server-get-parameter-request").Request!;
        Assert.Equal("GET_PARAMETER", request.Method);
        Assert.Equal("77", request.Headers["session"]);

        var frame = Parse("interleaved-rtp");
        Assert.Equal(RtspMessageKind.Interleaved, frame.Kind);
        Assert.Equal(0, frame.Channel);
        Assert.Equal(14, frame.Payload.Length);
        Assert.Equal(0, Parse("interleaved-rtcp-empty").Payload.Length);
    }

    [Fact]
    public void Stray_line_ends_between_messages_are_skipped()
    {
        var parsed = ParsedStream.Parse(Encoding.ASCII.GetBytes("\r\n\r\nRTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n\r\n"));
        Assert.Single(parsed.Items);
        Assert.Equal(0, parsed.Errors);
    }

    private static RtspMessage Parse(string name)
    {
        Assert.True(RtspMessageParser.TryParse(new ReadOnlySequence<byte>(RtspMessageCases.Get(name).Bytes), out var m, out _, out _));
        return m;
    }

    private static byte[] Interleaved(in RtspMessage m)
    {
        var payload = m.Payload.ToArray();
        var bytes = new byte[RtspInterleavedFrame.GetSize(payload.Length)];
        RtspInterleavedFrame.WriteTo(m.Channel, payload, bytes);
        return bytes;
    }
}
