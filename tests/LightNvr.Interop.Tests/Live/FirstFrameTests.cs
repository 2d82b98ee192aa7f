using System.Diagnostics;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// A new MSE viewer of a camera with a 4 s GOP gets its first decodable picture from the cached GOP, not at the next
/// keyframe. The figure is reported (bench/live measures it against the 500 ms target); the test only asserts it is
/// far below the GOP, which is what waiting for the next keyframe would cost on average.
/// </summary>
public sealed class FirstFrameTests(ITestOutputHelper output)
{
    [Fact]
    public async Task First_fragment_with_a_keyframe_arrives_without_waiting_for_the_next_keyframe_of_a_4s_gop()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", Gop = 60 });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        await Task.Delay(2500); // somewhere inside a GOP

        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var ws = await server.ConnectWsAsync("cam");
            await MseClient.SendRequestAsync(ws, "avc1.640029");
            Assert.Equal("mse", (await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(10))).Type);
            Assert.Equal("ftyp", MseClient.FirstBox((await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(5))).Data!));
            var first = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(10));
            Assert.Equal("moof", MseClient.FirstBox(first.Data!));
            times.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(700);
        }

        output.WriteLine("first fragment (cached GOP) after: " + string.Join(", ", times.Select(t => $"{t:0} ms")));
        Assert.All(times, t => Assert.True(t < 2000, $"{t:0} ms: looks like waiting for the next keyframe"));
    }
}
