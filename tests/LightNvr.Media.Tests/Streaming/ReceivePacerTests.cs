using LightNvr.Media.Streaming;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Streaming;

public sealed class ReceivePacerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void A_waiter_is_resumed_one_period_after_it_asked_not_before()
    {
        var time = new TestClock();
        using var pacer = new ReceivePacer(Period, time);

        var tick = pacer.NextTickAsync();
        time.Advance(Period - TimeSpan.FromMilliseconds(1));
        Assert.False(tick.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(tick.IsCompletedSuccessfully);
        Assert.Equal(1, pacer.Ticks);
    }

    [Fact]
    public void Every_waiter_of_a_period_shares_one_tick_and_the_timer_stops_when_nobody_waits()
    {
        var time = new TestClock();
        using var pacer = new ReceivePacer(Period, time);

        var waiters = Enumerable.Range(0, 16).Select(_ => pacer.NextTickAsync()).ToArray();
        Assert.Single(waiters.Distinct());
        Assert.Equal(1, time.ActiveTimers);

        time.Advance(Period);
        Assert.All(waiters, w => Assert.True(w.IsCompletedSuccessfully));
        time.Advance(Period); // a period without waiters stops the timer: idle costs no wake-ups
        Assert.Equal(0, time.ActiveTimers);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, pacer.Ticks);
        var next = pacer.NextTickAsync(); // and it starts again
        time.Advance(Period);
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_loop_that_asks_again_from_its_continuation_waits_for_the_next_tick()
    {
        var time = new TestClock();
        using var pacer = new ReceivePacer(Period, time);
        var rounds = 0;

        async Task LoopAsync()
        {
            for (var i = 0; i < 3; i++)
            {
                await pacer.NextTickAsync();
                rounds++;
            }
        }

        var loop = LoopAsync(); // continuations run inline on the tick, like a paced receive loop
        time.Advance(Period);
        Assert.Equal(1, rounds); // not all three in one tick
        time.Advance(Period);
        time.Advance(Period);
        await loop;
        Assert.Equal(3, rounds);
        Assert.Equal(3, pacer.Ticks);
    }

    [Fact]
    public void Disposing_releases_whoever_waits_and_stops_the_timer()
    {
        var time = new TestClock();
        var pacer = new ReceivePacer(Period, time);
        var tick = pacer.NextTickAsync();

        pacer.Dispose();

        Assert.True(tick.IsCompletedSuccessfully);
        Assert.Equal(0, time.ActiveTimers);
        Assert.Throws<ObjectDisposedException>(() => { _ = pacer.NextTickAsync(); }); // thrown at the call, not in a task
        time.Advance(TimeSpan.FromSeconds(1)); // nothing fires after disposal
        Assert.Equal(0, pacer.Ticks);
    }

    [Fact]
    public async Task The_own_thread_resumes_waiters_on_itself_and_parks_when_nobody_waits()
    {
        using var pacer = ReceivePacer.StartOwnThread(TimeSpan.FromMilliseconds(50));
        string? resumedOn = null;
        var rounds = 0;

        async Task LoopAsync()
        {
            for (var i = 0; i < 3; i++)
            {
                await pacer.NextTickAsync();
                resumedOn = Thread.CurrentThread.Name;
                rounds++;
            }
        }

        await LoopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, rounds);
        Assert.Equal("lightnvr-pacer", resumedOn); // inline on the tick: no pool thread woken
        Assert.Equal(3, pacer.Ticks);

        await Task.Delay(300); // six periods without a waiter: the thread parks and counts no ticks
        Assert.Equal(3, pacer.Ticks);
        await pacer.NextTickAsync().WaitAsync(TimeSpan.FromSeconds(10)); // and wakes for the next waiter
        Assert.Equal(4, pacer.Ticks);
    }

    [Fact]
    public async Task Disposing_the_own_thread_releases_a_waiter()
    {
        var pacer = ReceivePacer.StartOwnThread(TimeSpan.FromSeconds(30));
        var tick = pacer.NextTickAsync();
        pacer.Dispose();
        await tick.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Throws<ObjectDisposedException>(() => { _ = pacer.NextTickAsync(); });
    }
}
