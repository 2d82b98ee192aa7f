using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// Inputs afl-fuzz found (tests/LightNvr.Fuzz, docs/robustness.md "Fuzzing"), kept as ordinary tests. Each failed on
/// the code before its fix.
/// </summary>
public sealed class RtspFuzzFindingsTests
{
    /// <summary>
    /// A bad start line holding invalid UTF-8 before a '$': the resync offset was computed on the decoded text, where
    /// the byte 0x80 became U+FFFD (3 bytes), so it pointed past the line and TryParse threw
    /// ArgumentOutOfRangeException out of the receive loop. (fuzz target rtsp, crash id:000004, 48 bytes.)
    /// </summary>
    [Fact]
    public void Invalid_utf8_before_a_dollar_in_a_bad_start_line_resyncs_at_the_dollar()
    {
        byte[] input =
        [
            .. "RTSP/1.0 4"u8, 0x80, 0, 0, 0, .. "nad"u8, (byte)'$', (byte)'\n',
            .. "CSeq: 2\r\nWWW-Akthent"u8, 4, 0, 0, .. "MT\r\n\r\n"u8,
        ];
        var stream = ParsedStream.Parse(input);
        Assert.Equal("Malformed BadStartLine", stream.Items[0]);

        // The '$' at byte 17 begins the next item: an interleaved frame on channel '\n' (0x0A) whose 16-bit length
        // ("CS" = 17235) is not all here, so the parser waits with the frame's bytes pending.
        Assert.Single(stream.Items);
        Assert.Equal(input.Length - 17, stream.Pending);
    }

    [Fact]
    public void Invalid_utf8_inside_the_line_does_not_move_the_resync_point()
    {
        // Two 0xFF bytes decode to two U+FFFD (3 bytes each again): the old offset landed 4 bytes past the '$' and the
        // empty interleaved frame there was lost.
        byte[] input = [.. "RTSP/1.0 "u8, 0xFF, 0xFF, (byte)' ', (byte)'$', 0, 0, 0, .. "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"u8];
        var stream = ParsedStream.Parse(input);
        Assert.Equal(["Malformed BadStartLine", "Interleaved ch=0 ", "Response 200 OK|CSeq=1|body="], stream.Items);
    }
}
