using LightNvr.Config;

namespace LightNvr.Tests.Config;

public class CommandLineTests
{
    [Theory]
    [InlineData(new string[0], null, false, false, false)]
    [InlineData(new[] { "-c", "/etc/x.ini" }, "/etc/x.ini", false, false, false)]
    [InlineData(new[] { "--config", "x.ini", "-d" }, "x.ini", true, false, false)]
    [InlineData(new[] { "-v" }, null, false, true, false)]
    [InlineData(new[] { "-h" }, null, false, false, true)]
    [InlineData(new[] { "-d", "-c", "a", "-c", "b" }, "b", true, false, false)]
    public void Parses_upstream_options(string[] args, string? file, bool daemon, bool version, bool help)
    {
        Assert.Equal(new CommandLine(file, daemon, version, help), CommandLine.Parse(args, out _));
    }

    [Theory]
    [InlineData(new[] { "-x" }, "unknown option -x")]
    [InlineData(new[] { "-c" }, "option -c needs a file name")]
    [InlineData(new[] { "stray" }, "unexpected argument stray")]
    public void Rejects_anything_else(string[] args, string error)
    {
        Assert.Null(CommandLine.Parse(args, out var message));
        Assert.Equal(error, message);
    }
}
