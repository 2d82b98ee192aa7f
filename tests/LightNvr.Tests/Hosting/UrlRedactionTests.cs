using LightNvr.Logging;


namespace LightNvr.Tests.Hosting;

public class UrlRedactionTests
{
    [Theory]
    [InlineData("rtsp://admin:secret@10.0.0.5:554/live", "rtsp://***@10.0.0.5:554/live")]
    [InlineData("rtsp://admin:p@ss@cam/live", "rtsp://***@cam/live")]
    [InlineData("rtsp://user@cam", "rtsp://***@cam")]
    [InlineData("http://cam/snap?u=a@b", "http://cam/snap?u=a@b")]
    [InlineData("rtsp://10.0.0.5/live", "rtsp://10.0.0.5/live")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Redacts_userinfo(string? url, string expected) => Assert.Equal(expected, UrlRedaction.Redact(url));

    [Fact]
    public void Redacts_every_url_in_text()
    {
        Assert.Equal("a rtsp://***@h/1 and http://***@h2/ mail me@x.org",
            UrlRedaction.RedactText("a rtsp://u:p@h/1 and http://u2:p2@h2/ mail me@x.org"));
    }
}
