using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>Transport (RFC 2326 §12.39) and Session (§12.37) header values as cameras send them.</summary>
public sealed class RtspHeaderValueTests
{
    [Theory]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=2C5E22B2;mode=\"PLAY\"", true, 0, 1, 0x2C5E22B2u)] // GStreamer
    [InlineData("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=7B2C9A10", true, 2, 3, 0x7B2C9A10u)] // Dahua-style
    [InlineData("RTP/AVP/TCP;unicast;interleaved=4", true, 4, 5, null)]
    public void Interleaved_transport_replies(string value, bool tcp, int rtp, int rtcp, uint? ssrc)
    {
        Assert.True(RtspTransportHeader.TryParse(value, out var t));
        Assert.Equal(tcp, t.IsTcp);
        Assert.Equal((rtp, rtcp), t.Interleaved);
        Assert.Equal(ssrc, t.Ssrc);
    }

    [Fact]
    public void Udp_transport_reply_with_ports()
    {
        Assert.True(RtspTransportHeader.TryParse(
            "RTP/AVP;unicast;client_port=53904-53905;server_port=8220-8221;ssrc=6ef4ed63;mode=\"play\"", out var t));
        Assert.False(t.IsTcp);
        Assert.Equal((53904, 53905), t.ClientPort);
        Assert.Equal((8220, 8221), t.ServerPort);
        Assert.Equal(0x6EF4ED63u, t.Ssrc);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData(null)]
    public void Unusable_transport_values_fail(string? value) => Assert.False(RtspTransportHeader.TryParse(value, out _));

    [Fact]
    public void Transport_requests_are_written_as_cameras_expect()
    {
        Assert.Equal("RTP/AVP/TCP;unicast;interleaved=2-3",
            new RtspTransportHeader { Protocol = "RTP/AVP/TCP", Interleaved = (2, 3) }.ToString());
        Assert.Equal("RTP/AVP;unicast;client_port=50000-50001", new RtspTransportHeader { ClientPort = (50000, 50001) }.ToString());
    }

    [Theory]
    [InlineData("FLWt_GOrdSken-_1", "FLWt_GOrdSken-_1", 60)]
    [InlineData("1273222592;timeout=60", "1273222592", 60)]
    [InlineData("5nBPj0WyvJyqhGXL; timeout=30", "5nBPj0WyvJyqhGXL", 30)]
    [InlineData("12345678;timeout=abc", "12345678", 60)]
    public void Session_header(string value, string id, int timeout)
    {
        Assert.True(RtspSessionHeader.TryParse(value, out var s));
        Assert.Equal(id, s.Id);
        Assert.Equal(timeout, s.TimeoutSeconds);
    }

    [Theory]
    [InlineData(60, 30)]
    [InlineData(10, 5)]
    [InlineData(3600, 30)] // clamped: a camera announcing an hour still gets a keep-alive every 30 s
    [InlineData(1, 1)]     // clamped to the 2 s minimum
    public void Keep_alive_is_half_the_clamped_timeout(int timeout, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new RtspSessionHeader("x", timeout).KeepAliveInterval);
}
