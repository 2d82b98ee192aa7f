using System.Text;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// Malformed and hostile input: every limit of <see cref="RtspLimits"/> is a counted error with resynchronisation,
/// and thousands of mutations of the case table never throw, never hang and allocate in proportion to the input.
/// </summary>
public sealed class RtspMessageRobustnessTests
{
    /// <summary>Mutated inputs per run: enough to hit every branch many times, fast enough for every test run.</summary>
    private const int Mutations = 5000;

    [Fact]
    public void Over_long_line_is_an_error_and_the_next_message_still_parses()
    {
        var garbage = "DESCRIBE " + new string('x', RtspLimits.MaxLineLength + 10);
        var stream = ParsedStream.Parse(Encoding.ASCII.GetBytes(garbage + "\r\nRTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"));
        Assert.Equal("Malformed LineTooLong", stream.Items[0]);
        Assert.StartsWith("Response 200", stream.Items[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_line_without_end_is_skipped_once_the_limit_is_buffered()
    {
        var stream = new ParsedStream();
        stream.Feed("OPTIONS "u8.ToArray().Concat(new byte[RtspLimits.MaxLineLength - 9].Select(_ => (byte)'a')).ToArray());
        Assert.Empty(stream.Items); // still might end in time
        stream.Feed("aa"u8.ToArray());
        Assert.Equal(["Malformed LineTooLong"], stream.Items);
        Assert.Equal(0, stream.Pending);
    }

    [Fact]
    public void Too_many_headers_is_an_error()
    {
        var sb = new StringBuilder("RTSP/1.0 200 OK\r\n");
        for (var i = 0; i <= RtspLimits.MaxHeaderCount; i++)
        {
            sb.Append("X-H").Append(i).Append(": v\r\n");
        }

        var stream = ParsedStream.Parse(Encoding.ASCII.GetBytes(sb.Append("\r\n").ToString()));
        Assert.Equal("Malformed TooManyHeaders", stream.Items[0]);
    }

    [Theory]
    [InlineData("Content-Length: 65537", "BodyTooLong")]
    [InlineData("Content-Length: -1", "BadContentLength")]
    [InlineData("Content-Length: 12abc", "BadContentLength")]
    [InlineData("No colon here", "BadHeader")]
    [InlineData(": empty name", "BadHeader")]
    public void Bad_header_is_an_error(string header, string error)
    {
        var stream = ParsedStream.Parse(Encoding.ASCII.GetBytes($"RTSP/1.0 200 OK\r\nCSeq: 1\r\n{header}\r\n\r\n"));
        Assert.Equal("Malformed " + error, stream.Items[0]);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK")]
    [InlineData("RTSP/1.0 2000 OK")]
    [InlineData("RTSP/1.0 abc OK")]
    [InlineData("PLAY rtsp://x")]
    [InlineData("PLAY rtsp://x HTTP/1.1")]
    [InlineData("\u0001\u0002binary")]
    [InlineData("lowercase rtsp://x RTSP/1.0")]
    public void Bad_start_line_is_an_error(string line)
    {
        var stream = ParsedStream.Parse(Encoding.ASCII.GetBytes(line + "\r\nCSeq: 1\r\n\r\n"));
        Assert.Equal("Malformed BadStartLine", stream.Items[0]);
        Assert.Equal(0, stream.Pending);
    }

    [Fact]
    public void Garbage_before_an_interleaved_frame_resynchronises_at_the_dollar()
    {
        byte[] bytes = [.. "junk bytes"u8, (byte)'$', 1, 0, 2, 0xAB, 0xCD];
        var stream = ParsedStream.Parse(bytes);
        Assert.Equal(["Malformed BadStartLine", "Interleaved ch=1 ABCD"], stream.Items);
    }

    [Fact]
    public void Largest_interleaved_frame_parses()
    {
        var bytes = new byte[RtspInterleavedFrame.GetSize(RtspLimits.MaxInterleavedPayload)];
        RtspInterleavedFrame.WriteTo(2, new byte[RtspLimits.MaxInterleavedPayload], bytes);
        var stream = ParsedStream.Parse(bytes);
        Assert.Single(stream.Items);
        Assert.Equal(0, stream.Pending);
    }

    [Fact]
    public void Mutated_inputs_only_yield_counted_errors()
    {
        var random = new Random(20261121); // fixed seed: a failure reproduces
        var cases = RtspMessageCases.All;
        var maxAllocationRatio = 0.0;
        long errors = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var input = Mutate(random, cases[random.Next(cases.Count)].Bytes, cases[random.Next(cases.Count)].Bytes);
            var stream = new ParsedStream();

            // Feed in random chunks like a socket would; the harness asserts progress on every parsed item.
            for (var offset = 0; offset < input.Length;)
            {
                var n = Math.Min(input.Length - offset, 1 + random.Next(600));
                stream.Feed(input.AsMemory(offset, n));
                offset += n;
            }

            var allocated = stream.ParserAllocatedBytes;
            maxAllocationRatio = Math.Max(maxAllocationRatio, allocated / (double)(input.Length + 1));
            errors += stream.Errors;

            // The parser allocates in proportion to the input (line strings, header objects, the body copy) and
            // nothing while it waits for more bytes, however the input is chunked.
            Assert.True(allocated < (32 * input.Length) + 4096, $"mutation {i}: {allocated} bytes for {input.Length}");
        }

        Assert.True(errors > 0, "the mutations should produce some counted errors");
        Assert.True(maxAllocationRatio < 32, $"allocation ratio {maxAllocationRatio}");
    }

    private static byte[] Mutate(Random random, byte[] input, byte[] other)
    {
        var bytes = new List<byte>(input);
        var count = 1 + random.Next(4);
        for (var m = 0; m < count && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(9))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, 1 + random.Next(64))));
                    break;
                case 4:
                    bytes[at] = "$\r\n: ;=0123456789-"u8[random.Next(18)];
                    break;
                case 5:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 6:
                    bytes.InsertRange(at, other);
                    break;
                case 7:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes($"Content-Length: {random.Next(-5, 70000)}\r\n"));
                    break;
                default:
                    bytes.InsertRange(at, [(byte)'$', (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)]);
                    break;
            }
        }

        return [.. bytes];
    }
}
