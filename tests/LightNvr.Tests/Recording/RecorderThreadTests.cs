using LightNvr.Recording;

namespace LightNvr.Tests.Recording;

public sealed class RecorderThreadTests
{
    [Fact]
    public async Task A_loop_started_on_it_comes_back_to_it_after_every_await()
    {
        using var thread = new RecorderThread();
        var seen = new List<string?>();
        using var signal = new SemaphoreSlim(0);

        async Task LoopAsync()
        {
            for (var i = 0; i < 3; i++)
            {
                await signal.WaitAsync(); // released from the test's thread, like a hub waking a recorder
                seen.Add(Thread.CurrentThread.Name);
                await Task.Delay(10); // a timer completes this on another thread
                seen.Add(Thread.CurrentThread.Name);
            }
        }

        var loop = Task.Factory.StartNew(LoopAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, thread)
            .Unwrap();
        for (var i = 0; i < 3; i++)
        {
            signal.Release();
            await Task.Delay(30);
        }

        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(6, seen.Count);
        Assert.All(seen, name => Assert.Equal("lightnvr-recorder", name));
    }

    [Fact]
    public async Task Tasks_run_one_at_a_time_in_the_order_queued()
    {
        using var thread = new RecorderThread();
        var order = new List<int>();
        var running = 0;
        var overlapped = false;
        var tasks = Enumerable.Range(0, 20).Select(i => Task.Factory.StartNew(() =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            Thread.Sleep(1);
            order.Add(i);
            Interlocked.Decrement(ref running);
        }, CancellationToken.None, TaskCreationOptions.None, thread)).ToArray();

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public async Task After_disposal_queued_work_still_runs()
    {
        var thread = new RecorderThread();
        using var gate = new ManualResetEventSlim();
        var first = Task.Factory.StartNew(() => gate.Wait(), CancellationToken.None, TaskCreationOptions.None, thread);
        var queued = Task.Factory.StartNew(() => Thread.CurrentThread.Name, CancellationToken.None,
            TaskCreationOptions.None, thread);

        thread.Dispose();
        var late = Task.Factory.StartNew(() => Thread.CurrentThread.Name, CancellationToken.None,
            TaskCreationOptions.None, thread); // a recorder finishing during shutdown
        gate.Set();

        await Task.WhenAll(first, queued, late).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("lightnvr-recorder", await queued); // queued before disposal: drained by the thread
        Assert.NotEqual("lightnvr-recorder", await late); // after: on the pool, never stranded
    }
}
