using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>Credentials out of URLs, and control URLs resolved the way cameras expect (RFC 2326 §C.1.1).</summary>
public sealed class RtspUrlTests
{
    [Fact]
    public void Credentials_are_percent_decoded_and_removed()
    {
        var url = new Uri("rtsp://ad%40min:p%3Ass%2Fw%C3%B6rd@192.168.1.64:554/Streaming/Channels/101");
        var credential = RtspUrl.GetCredentials(url)!;
        Assert.Equal("ad@min", credential.UserName);
        Assert.Equal("p:ss/wörd", credential.Password);
        Assert.Equal("rtsp://192.168.1.64:554/Streaming/Channels/101", RtspUrl.Redact(url));
        Assert.Null(RtspUrl.GetCredentials(new Uri("rtsp://h/x")));
    }

    [Theory]
    [InlineData("rtsp://admin:secret@10.0.0.1/live", "rtsp://10.0.0.1/live")]
    [InlineData("rtsp://a:b@c@10.0.0.1:554/x?y=@", "rtsp://10.0.0.1:554/x?y=@")]
    [InlineData("rtsp://10.0.0.1/live", "rtsp://10.0.0.1/live")]
    [InlineData("not a url", "not a url")]
    public void Redact_text(string url, string redacted) => Assert.Equal(redacted, RtspUrl.Redact(url));

    [Theory]
    [InlineData("rtsp://127.0.0.1:8554/cam/", "stream=0", "rtsp://127.0.0.1:8554/cam/stream=0")] // GStreamer
    [InlineData("rtsp://10.0.0.1/cam/realmonitor?channel=1&subtype=0/", "trackID=0",
        "rtsp://10.0.0.1/cam/realmonitor?channel=1&subtype=0/trackID=0")] // Dahua
    [InlineData("rtsp://10.0.0.1/h264Preview_01_main", "trackID=1", "rtsp://10.0.0.1/h264Preview_01_main/trackID=1")]
    [InlineData("rtsp://10.0.0.1/a/", "rtsp://10.0.0.1/a/trackID=1?transportmode=unicast",
        "rtsp://10.0.0.1/a/trackID=1?transportmode=unicast")] // Hikvision: absolute
    [InlineData("rtsp://10.0.0.1/a/", "*", "rtsp://10.0.0.1/a/")]
    [InlineData("rtsp://10.0.0.1/a/", null, "rtsp://10.0.0.1/a/")]
    [InlineData("rtsp://10.0.0.1/live", "?ctype=video", "rtsp://10.0.0.1/live?ctype=video")]
    public void Control_resolution(string baseUrl, string? control, string expected) =>
        Assert.Equal(expected, RtspUrl.ResolveControl(baseUrl, control));

    [Fact]
    public void Redacted_urls_stay_escaped_for_the_wire()
    {
        var url = new Uri("rtsp://u:p@10.0.0.1:554/my%20cam/live?channel=1&subtype=0");
        Assert.Equal("rtsp://10.0.0.1:554/my%20cam/live?channel=1&subtype=0", RtspUrl.Redact(url));
        Assert.Equal(554, RtspUrl.GetPort(new Uri("rtsp://10.0.0.1/x")));
        Assert.Equal(8554, RtspUrl.GetPort(new Uri("rtsp://10.0.0.1:8554/x")));
    }
}
