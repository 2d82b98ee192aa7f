using System.Diagnostics;
using LightNvr.Hosting;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Hosting;

public class PidFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Written_with_its_folder_and_removed_on_dispose()
    {
        var path = Path.Combine(_dir.Path, "run", "lightnvr.pid");
        using (PidFile.Acquire(path, 4242))
        {
            Assert.Equal("4242\n", File.ReadAllText(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_stale_file_is_replaced()
    {
        var path = _dir.File("lightnvr.pid", "999999999\n");
        using (PidFile.Acquire(path, 4242))
        {
            Assert.Equal(4242, PidFile.ReadPid(path));
        }
    }

    [Fact]
    public void A_live_process_that_is_not_lightnvr_does_not_block()
    {
        using var other = Process.Start("/bin/sleep", "30");
        try
        {
            var path = _dir.File("lightnvr.pid", $"{other.Id}\n");
            using var pid = PidFile.Acquire(path, 4242);
            Assert.Equal(4242, PidFile.ReadPid(path));
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void A_live_lightnvr_blocks_start_up()
    {
        // A process whose command line names lightnvr: sleep started through a symlink of that name.
        var fake = Path.Combine(_dir.Path, "lightnvr");
        File.CreateSymbolicLink(fake, "/bin/sleep");
        using var other = Process.Start(fake, "30");
        try
        {
            var path = _dir.File("lightnvr.pid", $"{other.Id}\n");
            var deadline = Environment.TickCount64 + 5000;
            while (!PidFile.IsLightNvr(other.Id) && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }

            var e = Assert.Throws<InvalidOperationException>(() => PidFile.Acquire(path, 4242));
            Assert.Contains($"PID {other.Id}", e.Message);
            Assert.Equal(other.Id, PidFile.ReadPid(path));
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void Dispose_leaves_a_file_now_owned_by_someone_else()
    {
        var path = Path.Combine(_dir.Path, "lightnvr.pid");
        var pid = PidFile.Acquire(path, 4242);
        File.WriteAllText(path, "5151\n");
        pid.Dispose();
        Assert.Equal(5151, PidFile.ReadPid(path));
    }
}
