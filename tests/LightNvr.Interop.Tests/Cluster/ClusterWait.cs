using System.Diagnostics;
using LightNvr.Interop.Tests.Server;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// What the cluster suites share: a node's first healthy answer, a condition polled every 0.5 s, and the nodes' folders
/// made and cleaned up.
/// </summary>
internal static class ClusterWait
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Until <c>/api/health</c> answers 200 (90 s); a node that exits fails at once with its last log lines.</summary>
    public static Task HealthyAsync(ServerProcess server) =>
        UntilAsync("no /api/health answer from " + server.BaseUrl, TimeSpan.FromSeconds(90), async () =>
        {
            Assert.False(server.Process.HasExited, "the node exited: " + server.Stderr
                + (File.Exists(server.LogFile) ? string.Join('\n', File.ReadLines(server.LogFile).TakeLast(40)) : ""));
            try
            {
                using var response = await Http.GetAsync(server.BaseUrl + "/api/health");
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        });

    public static async Task UntilAsync(string what, TimeSpan limit, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{what}: not within {limit.TotalSeconds} s");
    }

    /// <summary>A node's own folder (config, database-free storage, logs) under the temp folder.</summary>
    public static string NewFolder(string kind)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"lightnvr-{kind}-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Stops every node started (SIGKILL if need be) and deletes their folders as far as possible.</summary>
    public static void StopAndDelete(IEnumerable<ServerProcess?> servers, IEnumerable<string> folders)
    {
        foreach (var server in servers)
        {
            server?.Dispose();
        }
        foreach (var folder in folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a leftover temp folder is no test failure
            }
        }
    }
}
