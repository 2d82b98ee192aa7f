using System.Collections.Concurrent;
using LightNvr.Hosting;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Hosting;

public class ShutdownCoordinatorTests
{
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stops_in_priority_order_highest_first()
    {
        var coordinator = new ShutdownCoordinator(TimeProvider.System, NullLogger<ShutdownCoordinator>.Instance);
        var order = new ConcurrentQueue<string>();
        Func<CancellationToken, Task> Stop(string name) => async _ =>
        {
            await Task.Yield();
            order.Enqueue(name);
        };
        coordinator.Register("core", ShutdownPriority.StreamingCore, Stop("core"));
        coordinator.Register("live", ShutdownPriority.LiveStreaming, Stop("live"));
        coordinator.Register("detection", ShutdownPriority.Detection, Stop("detection"));
        coordinator.Register("recorder", ShutdownPriority.Recorders, Stop("recorder"));

        await coordinator.StopAllAsync().WaitAsync(TestBound);

        Assert.Equal(["detection", "recorder", "live", "core"], order);
        Assert.True(coordinator.IsStopping);
        Assert.Empty(coordinator.Overran);
    }

    [Fact]
    public async Task A_component_cancelled_for_overrunning_is_one_warning_not_an_error()
    {
        // The soak's finding: 16 cameras stopped one by one overran 5 s; the cancellation then surfaced as a
        // TaskCanceledException that was logged as ERROR on every shutdown.
        var time = new TestClock();
        var log = new ListLogger();
        var coordinator = new ShutdownCoordinator(time, new TypedLogger<ShutdownCoordinator>(log));
        var started = new TaskCompletionSource();
        coordinator.Register("streaming core", 0, async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });

        var stopping = coordinator.StopAllAsync();
        await started.Task.WaitAsync(TestBound);
        await WaitUntil(() => time.ActiveTimers == 1);
        time.Advance(ShutdownCoordinator.MaxStopTime);
        await stopping.WaitAsync(TestBound);
        await WaitUntil(() => log.Lines.Any(l => l.Message.Contains("cancelled", StringComparison.Ordinal)));

        Assert.DoesNotContain(log.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Single(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && l.Message.Contains("streaming core", StringComparison.Ordinal));
    }

    private sealed class TypedLogger<T>(ListLogger inner) : Microsoft.Extensions.Logging.ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId,
            TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }

    [Fact]
    public async Task An_overrunning_component_is_named_cancelled_and_the_rest_still_stop()
    {
        var time = new TestClock();
        var coordinator = new ShutdownCoordinator(time, NullLogger<ShutdownCoordinator>.Instance);
        var order = new ConcurrentQueue<string>();
        var hungToken = new TaskCompletionSource<CancellationToken>();
        coordinator.Register("detection", 100, _ => { order.Enqueue("detection"); return Task.CompletedTask; });
        coordinator.Register("stuck-recorder", 80, ct => { hungToken.SetResult(ct); return Task.Delay(Timeout.Infinite, CancellationToken.None); });
        coordinator.Register("core", 0, _ => { order.Enqueue("core"); return Task.CompletedTask; });

        var stopping = coordinator.StopAllAsync();
        var token = await hungToken.Task.WaitAsync(TestBound);
        await WaitUntil(() => time.ActiveTimers == 1);
        Assert.False(stopping.IsCompleted);
        Assert.Equal(["detection"], order);

        time.Advance(ShutdownCoordinator.MaxStopTime - TimeSpan.FromMilliseconds(1));
        Assert.False(stopping.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await stopping.WaitAsync(TestBound);

        Assert.Equal(["detection", "core"], order);
        Assert.Equal(["stuck-recorder"], coordinator.Overran);
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Equal_priorities_stop_concurrently()
    {
        var coordinator = new ShutdownCoordinator(TimeProvider.System, NullLogger<ShutdownCoordinator>.Instance, TimeSpan.FromSeconds(5));
        var a = new TaskCompletionSource();
        var b = new TaskCompletionSource();
        coordinator.Register("a", 80, async _ => { a.SetResult(); await b.Task; });
        coordinator.Register("b", 80, async _ => { b.SetResult(); await a.Task; });

        await coordinator.StopAllAsync().WaitAsync(TestBound);

        Assert.Empty(coordinator.Overran);
    }

    [Fact]
    public async Task Failures_are_contained_unregistered_ones_skipped_and_a_second_stop_is_a_no_op()
    {
        var coordinator = new ShutdownCoordinator(TimeProvider.System, NullLogger<ShutdownCoordinator>.Instance);
        var calls = 0;
        coordinator.Register("throws", 90, _ => throw new InvalidOperationException("x"));
        var gone = coordinator.Register("gone", 50, _ => { calls += 100; return Task.CompletedTask; });
        coordinator.Register("after", 10, _ => { calls++; return Task.CompletedTask; });
        gone.Dispose();

        await coordinator.StopAllAsync().WaitAsync(TestBound);
        await coordinator.StopAllAsync().WaitAsync(TestBound);

        Assert.Equal(1, calls);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + (long)TestBound.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached in time");
            await Task.Delay(5);
        }
    }
}
