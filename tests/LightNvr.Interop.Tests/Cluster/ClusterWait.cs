using System.Diagnostics;
using LightNvr.Interop.Tests.Server;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>The waits the cluster suites share: a node's first healthy answer, and a condition polled every 0.5 s.</summary>
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
}
