using LightNvr.Hosting;
using LightNvr.Logging;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Hosting;

public class LogSinkTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, LogLevel.Error, LogLevel.Warning)]
    [InlineData(1, LogLevel.Warning, LogLevel.Information)]
    [InlineData(2, LogLevel.Information, LogLevel.Debug)]
    [InlineData(3, LogLevel.Debug, LogLevel.Trace)]
    public void Config_level_sets_the_threshold(int configLevel, LogLevel lowestShown, LogLevel highestHidden)
    {
        using var sink = new LogSink(new TestClock(), new LogRingBuffer(), null, null, configLevel);
        Assert.True(sink.IsEnabled(lowestShown, "LightNvr.X"));
        Assert.False(sink.IsEnabled(highestHidden, "LightNvr.X"));
    }

    [Fact]
    public void Framework_categories_need_warning_unless_debug()
    {
        using var sink = new LogSink(new TestClock(), new LogRingBuffer(), null, null, 2);
        Assert.False(sink.IsEnabled(LogLevel.Information, "Microsoft.AspNetCore.Hosting.Diagnostics"));
        Assert.True(sink.IsEnabled(LogLevel.Warning, "Microsoft.AspNetCore.Server.Kestrel"));
        sink.ConfigLevel = 3;
        Assert.True(sink.IsEnabled(LogLevel.Information, "Microsoft.AspNetCore.Hosting.Diagnostics"));
    }

    [Fact]
    public void Writes_one_redacted_line_to_console_file_and_ring()
    {
        var file = Path.Combine(_dir.Path, "logs", "sub", "lightnvr.log");
        File.WriteAllText(_dir.File("logs/sub/lightnvr.log", "old line\n"), "old line\n");
        var console = new StringWriter();
        using (var sink = new LogSink(new TestClock(), new LogRingBuffer(), file, console, 2))
        {
            sink.Write(LogLevel.Warning, "LightNvr.Cameras.Camera", "open rtsp://admin:s3cr@t@10.0.0.5/live\nfailed", new IOException("boom"));
            Assert.Equal("open rtsp://***@10.0.0.5/live failed | IOException: boom", sink.Ring.Query(LogLevel.Debug, 1, null)[0].Message);
        }

        const string line = "[2026-01-01 12:00:00] [WARN] Camera: open rtsp://***@10.0.0.5/live failed | IOException: boom\n";
        Assert.Equal(line, console.ToString());
        Assert.Equal("old line\n" + line, File.ReadAllText(file));
    }

    [Fact]
    public void Creates_the_log_folder_and_clear_truncates()
    {
        var file = Path.Combine(_dir.Path, "new", "dir", "x.log");
        using var sink = new LogSink(new TestClock(), new LogRingBuffer(), file, null, 2);
        sink.Write(LogLevel.Information, "c", "hello", null);
        Assert.True(new FileInfo(file).Length > 0);
        sink.Clear();
        Assert.Equal(0, new FileInfo(file).Length);
        Assert.Equal(0, sink.Ring.Count);
    }

    [Fact]
    public void Long_messages_are_cut()
    {
        using var sink = new LogSink(new TestClock(), new LogRingBuffer(), null, null, 2);
        sink.Write(LogLevel.Information, "c", new string('x', LogSink.MaxMessageChars * 2), null);
        Assert.Equal(LogSink.MaxMessageChars + 1, sink.Ring.Query(LogLevel.Debug, 1, null)[0].Message.Length);
    }
}
