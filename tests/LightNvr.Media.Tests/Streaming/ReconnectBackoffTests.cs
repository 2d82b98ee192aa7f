using LightNvr.Media.Streaming;

namespace LightNvr.Media.Tests.Streaming;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Quick_at_first_then_doubling_to_the_cap()
    {
        var backoff = new ReconnectBackoff(() => 0.5); // 0.5 = no jitter
        var seconds = Enumerable.Range(0, 10).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1, 1, 1, 2, 4, 8, 16, 30, 30, 30], seconds);
        backoff.Reset();
        Assert.Equal(1, backoff.Next().TotalSeconds);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.999999, 1.2)]
    public void Jitter_stays_within_its_fraction(double random, double factor)
    {
        var backoff = new ReconnectBackoff(() => random);
        Assert.Equal(factor, backoff.Next().TotalSeconds, 3);
    }

    [Fact]
    public void Credentials_never_survive_in_a_reason()
    {
        Assert.Equal("connect rtsp://10.0.0.5:554/live failed",
            CredentialRedaction.Redact("connect rtsp://admin:s3cr%40t@10.0.0.5:554/live failed"));
    }
}
