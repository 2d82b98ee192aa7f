using LightNvr.Media.Streaming;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Streaming;

public sealed class SourceSupervisorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>A source whose runs the test drives: each run waits until the test fails, ends or cancels it.</summary>
    private sealed class ScriptedSource
    {
        private readonly SemaphoreSlim _started = new(0);
        private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs;
        public int Cancellations;

        public async Task RunAsync(IMediaSink sink, CancellationToken ct)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _current, tcs);
            Interlocked.Increment(ref Runs);
            sink.OnTracks(SyntheticStream.Tracks);
            _started.Release();
            using var reg = ct.Register(() =>
            {
                Interlocked.Increment(ref Cancellations);
                tcs.TrySetCanceled(ct);
            });
            await tcs.Task;
        }

        public async Task WaitStartedAsync() => Assert.True(await _started.WaitAsync(Wait), "source did not start");

        public void Fail(string message) => Volatile.Read(ref _current).TrySetException(new IOException(message));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + (long)Wait.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Reconnects_after_the_backoff_and_reports_a_redacted_reason()
    {
        var time = new TestClock();
        using var hub = new StreamHub("cam");
        var source = new ScriptedSource();
        await using var supervisor = new SourceSupervisor(hub, source.RunAsync, time, () => 0.5);
        supervisor.AlwaysOn = true;
        await source.WaitStartedAsync();
        Assert.Equal(SourceState.Connected, supervisor.Status.State);

        source.Fail("RTSP 401 from rtsp://admin:secret@127.0.0.1:554/cam");
        await WaitForAsync(() => supervisor.Status.State == SourceState.Error);
        var status = supervisor.Status;
        Assert.Equal("RTSP 401 from rtsp://127.0.0.1:554/cam", status.Reason);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), status.RetryAt);

        await WaitForAsync(() => time.ActiveTimers == 1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, Volatile.Read(ref source.Runs));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await source.WaitStartedAsync();
        Assert.Equal(2, Volatile.Read(ref source.Runs));

        // Failures without a stable period in between: 1, 1, 1, then 2 s.
        var expected = new[] { 1, 1, 2, 4 };
        for (var i = 0; i < expected.Length; i++)
        {
            source.Fail("boom");
            await WaitForAsync(() => supervisor.Status.State == SourceState.Error && time.ActiveTimers == 1);
            Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(expected[i]), supervisor.Status.RetryAt);
            time.Advance(TimeSpan.FromSeconds(expected[i]));
            await source.WaitStartedAsync();
        }

        // A connection that stays up for the stable period resets the backoff to 1 s.
        time.Advance(ReconnectBackoff.StableAfter);
        source.Fail("boom");
        await WaitForAsync(() => supervisor.Status.State == SourceState.Error);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), supervisor.Status.RetryAt);
    }

    [Fact]
    public async Task On_demand_starts_with_the_first_subscriber_and_stops_after_the_linger()
    {
        var time = new TestClock();
        using var hub = new StreamHub("cam");
        var source = new ScriptedSource();
        await using var supervisor = new SourceSupervisor(hub, source.RunAsync, time) { Linger = TimeSpan.FromSeconds(10) };
        Assert.False(supervisor.IsRunning);

        var viewer = hub.Subscribe("mse");
        await source.WaitStartedAsync();
        viewer.Dispose();
        Assert.True(supervisor.IsRunning);

        // A viewer that comes back within the linger keeps the same connection.
        time.Advance(TimeSpan.FromSeconds(5));
        viewer = hub.Subscribe("mse");
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(supervisor.IsRunning);
        Assert.Equal(0, Volatile.Read(ref source.Cancellations));

        viewer.Dispose();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(supervisor.IsRunning);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(supervisor.IsRunning);
        await WaitForAsync(() => supervisor.Status.State == SourceState.Idle);
        Assert.Equal(1, Volatile.Read(ref source.Cancellations));
        Assert.Equal(1, Volatile.Read(ref source.Runs));
    }

    [Fact]
    public async Task Frames_of_a_run_that_ended_never_reach_the_hub()
    {
        var time = new TestClock();
        using var hub = new StreamHub("cam");
        IMediaSink? firstSink = null;
        var runs = 0;
        await using var supervisor = new SourceSupervisor(hub, (sink, ct) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                firstSink = sink;
                sink.OnTracks(SyntheticStream.Tracks);
                return Task.CompletedTask; // ends at once
            }

            return Task.Delay(Timeout.Infinite, ct);
        }, time, () => 0.5);
        supervisor.AlwaysOn = true;
        await WaitForAsync(() => supervisor.Status.State == SourceState.Error);
        Assert.Equal("source ended", supervisor.Status.Reason);
        new SyntheticStream().Push(firstSink!, 5);
        Assert.Equal(0, hub.FramesIn);
        await supervisor.StopAsync();
        Assert.Equal(SourceState.Idle, supervisor.Status.State);
    }
}
