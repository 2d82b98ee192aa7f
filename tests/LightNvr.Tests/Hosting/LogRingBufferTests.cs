using LightNvr.Logging;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Hosting;

public class LogRingBufferTests
{
    private static LogRecord R(int second, LogLevel level, string message) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(second), $"2026-01-01 00:00:{second:00}", level, message);

    [Fact]
    public void Keeps_only_the_newest_capacity_records()
    {
        var ring = new LogRingBuffer(3);
        for (var i = 0; i < 5; i++)
        {
            ring.Add(R(i, LogLevel.Information, $"m{i}"));
        }

        Assert.Equal(3, ring.Count);
        Assert.Equal(["m2", "m3", "m4"], ring.Query(LogLevel.Debug, 10, null).Select(r => r.Message));
    }

    [Fact]
    public void Capacity_is_bounded_by_MaxEntries()
    {
        var ring = new LogRingBuffer(int.MaxValue);
        for (var i = 0; i < LogRingBuffer.MaxEntries + 10; i++)
        {
            ring.Add(R(0, LogLevel.Information, "x"));
        }

        Assert.Equal(LogRingBuffer.MaxEntries, ring.Count);
    }

    [Fact]
    public void Filters_by_minimum_level_count_and_last_timestamp()
    {
        var ring = new LogRingBuffer();
        ring.Add(R(1, LogLevel.Debug, "d1"));
        ring.Add(R(2, LogLevel.Error, "e2"));
        ring.Add(R(3, LogLevel.Warning, "w3"));
        ring.Add(R(4, LogLevel.Information, "i4"));
        ring.Add(R(5, LogLevel.Error, "e5"));
        Assert.Equal(["e2", "e5"], ring.Query(LogLevels.Parse("error"), 10, null).Select(r => r.Message));
        Assert.Equal(["e2", "w3", "e5"], ring.Query(LogLevels.Parse("warning"), 10, null).Select(r => r.Message));
        Assert.Equal(["i4", "e5"], ring.Query(LogLevels.Parse(null), 2, null).Select(r => r.Message));
        Assert.Equal(["i4", "e5"], ring.Query(LogLevel.Debug, 10, "2026-01-01 00:00:03").Select(r => r.Message));
        Assert.Empty(ring.Query(LogLevel.Debug, 0, null));
        ring.Clear();
        Assert.Empty(ring.Query(LogLevel.Debug, 10, null));
    }
}
