using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Hosting;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Hosting;

public class HealthServiceTests
{
    private sealed class Streams(int total, int up, int degraded, int down) : IHealthContributor
    {
        public void Contribute(HealthReport report)
        {
            report.Streams.Total += total;
            report.Streams.Up += up;
            report.Streams.Degraded += degraded;
            report.Streams.Down += down;
        }
    }

    private sealed class Broken : IHealthContributor
    {
        public void Contribute(HealthReport report) => throw new InvalidOperationException("x");
    }

    private static HealthReport Build(params IHealthContributor[] contributors)
    {
        var time = new TestClock();
        var server = new ServerInfo(time);
        time.Advance(TimeSpan.FromSeconds(42));
        var service = new HealthService(server, new RequestCounters(), ConfigSection<StorageOptions>.Fixed(new StorageOptions()), time, contributors, NullLogger<HealthService>.Instance);
        return service.Build();
    }

    [Fact]
    public void Without_contributors_it_is_healthy_with_empty_blocks()
    {
        var r = Build();
        Assert.Equal("healthy", r.Status);
        Assert.True(r.Healthy);
        Assert.Equal(42, r.Uptime);
        Assert.Equal("2026-01-01 12:00:42", r.Timestamp);
        Assert.Equal(0, r.Streams.Total);
        Assert.Empty(r.StreamsDetail);
    }

    [Theory]
    [InlineData(3, 3, 0, 0, "healthy")]
    [InlineData(3, 2, 1, 0, "degraded")]
    [InlineData(3, 2, 0, 1, "degraded")]
    [InlineData(2, 0, 0, 2, "critical")]
    public void Status_follows_the_stream_counts(int total, int up, int degraded, int down, string status)
    {
        Assert.Equal(status, Build(new Streams(total, up, degraded, down), new Broken()).Status);
    }
}
