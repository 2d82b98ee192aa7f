namespace LightNvr.Interop.Tests.Server;

/// <summary>
/// Start-up failures of the real server process that used to abort with an unhandled exception (exit 134 and a stack
/// trace): each is now one clear line on stderr and exit code 1, like a configuration error.
/// </summary>
public class StartupFailureTests
{
    private static readonly TimeSpan MaxStop = TimeSpan.FromSeconds(30);

    private static void AssertOneLineError(ServerProcess server, string expected)
    {
        Assert.True(server.WaitForExit(MaxStop), "the server did not exit");
        Assert.Equal(1, server.Process.ExitCode);
        var lines = server.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("lightnvr: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(server.PidFile));
    }

    [Fact]
    public void A_bind_ip_that_is_not_on_this_machine_is_one_line_and_exit_1()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
        using var server = ServerProcess.Start(p =>
            ServerProcess.DefaultIni(p).Replace("bind_ip = 127.0.0.1", "bind_ip = 192.0.2.1", StringComparison.Ordinal));
        AssertOneLineError(server, $"cannot listen on 192.0.2.1:{server.Port}: ");
    }

    [Fact]
    public void A_database_path_that_is_a_folder_is_a_configuration_error()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-server-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "dbfolder"));
        var port = Support.FreePort.Next();
        var ini = Path.Combine(folder, "lightnvr.ini");
        File.WriteAllText(ini, ServerProcess.DefaultIni(port).Replace("path = db/lightnvr.db", "path = dbfolder", StringComparison.Ordinal));
        using var server = ServerProcess.Launch(folder, port, ["-c", ini], ownsFolder: true);
        AssertOneLineError(server, $"{ini}: [database] path = '{Path.Combine(folder, "dbfolder")}' is a folder");
    }
}
