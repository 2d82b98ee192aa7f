using LightNvr.Media.Streaming;

namespace LightNvr.Media.Tests.Streaming;

public sealed class StreamHubTests
{
    private static List<MediaFrame> Drain(HubSubscription subscription)
    {
        var frames = new List<MediaFrame>();
        while (subscription.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    [Fact]
    public void Fan_out_gives_every_consumer_every_frame_as_the_same_instance()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var a = hub.Subscribe("a");
        using var b = hub.Subscribe("b");
        new SyntheticStream().Push(hub, 50);

        var fa = Drain(a);
        var fb = Drain(b);
        Assert.Equal(100, fa.Count);
        Assert.Equal(fa, fb); // reference equality: fan-out shares, never copies
        Assert.Equal(100, a.Stats.Frames);
        Assert.Equal(0, a.Stats.Drops);
        Assert.Equal(0, a.Stats.Queued);
    }

    [Fact]
    public void The_source_may_batch_only_while_every_consumer_accepts_batches()
    {
        using var hub = new StreamHub("cam");
        IMediaSink sink = hub;
        hub.OnTracks(SyntheticStream.Tracks);
        using var recorder = hub.Subscribe("recorder", acceptsBatches: true);
        Assert.True(sink.AcceptsBatchedDelivery);

        var viewer = hub.Subscribe("mse"); // a live viewer wants each frame as it comes
        Assert.False(sink.AcceptsBatchedDelivery);

        viewer.Dispose();
        Assert.True(sink.AcceptsBatchedDelivery);
        new SyntheticStream().Push(hub, 10);
        Assert.Equal(20, Drain(recorder).Count); // batching changes when frames are read, never which
    }

    [Fact]
    public void A_stalled_consumer_drops_until_the_next_keyframe_and_never_slows_the_others()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var stalled = hub.Subscribe("stalled", capacity: 10);
        using var fast = hub.Subscribe("fast");
        var stream = new SyntheticStream(gop: 25);

        stream.Push(hub, 100); // the source never waits: this returns although "stalled" reads nothing
        Assert.Equal(200, Drain(fast).Count);
        Assert.Equal(0, fast.Stats.Drops);
        Assert.Equal(190, stalled.Stats.Drops);
        var first = Drain(stalled);
        Assert.Equal(10, first.Count);

        // After the drain it resumes exactly at the next video keyframe (frame 100), never mid-GOP.
        stream.Push(hub, 4);
        var resumed = Drain(stalled);
        Assert.True(resumed[0].IsKeyFrame);
        Assert.Equal(MediaKind.Video, resumed[0].Track.Kind);
        Assert.Equal(100 * 3600L, resumed[0].Dts);
        Assert.Equal(8, resumed.Count);
    }

    [Fact]
    public void A_queue_over_its_byte_bound_drops_too()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var stalled = hub.Subscribe("stalled");
        var frameBytes = 100_000;
        new SyntheticStream(gop: 1000).Push(hub, 200, frameBytes);
        Assert.True(stalled.Stats.Drops > 0);
        var queuedBytes = Drain(stalled).Sum(f => (long)f.Data.Length);
        Assert.True(queuedBytes <= HubSubscription.MaxQueuedBytes);
    }

    [Fact]
    public void A_new_consumer_starts_at_the_cached_keyframe_at_once()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        new SyntheticStream(gop: 25).Push(hub, 30); // keyframes at 0 and 25; GOP = video 25..29 + audio

        using var late = hub.Subscribe("late");
        var frames = Drain(late);
        Assert.Equal(10, frames.Count);
        Assert.True(frames[0].IsKeyFrame);
        Assert.Equal(25 * 3600L, frames[0].Dts);
    }

    [Fact]
    public void Without_the_cache_a_new_consumer_waits_for_the_next_keyframe()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        var stream = new SyntheticStream(gop: 25);
        stream.Push(hub, 30);
        using var late = hub.Subscribe("late", startAtCachedKeyFrame: false);
        stream.Push(hub, 10); // frames 30..39: no keyframe
        Assert.Empty(Drain(late));
        stream.Push(hub, 11); // frame 50 is a keyframe
        var frames = Drain(late);
        Assert.Equal(50 * 3600L, frames[0].Dts);
        Assert.True(frames[0].IsKeyFrame);
    }

    [Fact]
    public void A_gop_larger_than_the_cache_bound_is_not_cached()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        new SyntheticStream(gop: 1000).Push(hub, 10, GopCache.MaxBytes / 4);
        using var late = hub.Subscribe("late");
        Assert.Empty(Drain(late));
    }

    [Fact]
    public void A_reconnect_clears_the_cache_and_consumers_restart_at_a_keyframe()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var sub = hub.Subscribe("a");
        new SyntheticStream(gop: 25).Push(hub, 30);
        Drain(sub);

        hub.OnTracks(SyntheticStream.Tracks);
        Assert.Equal(2, hub.TracksVersion);
        var restarted = new SyntheticStream(gop: 25, start: 1); // joins mid-GOP
        restarted.Push(hub, 24); // frames 1..24: none is a keyframe
        Assert.Empty(Drain(sub));
        restarted.Push(hub, 1); // frame 25 is
        var frames = Drain(sub);
        Assert.True(frames[0].IsKeyFrame);
        Assert.Equal(25 * 3600L, frames[0].Dts);
    }

    [Fact]
    public void Disposing_a_subscription_detaches_it_and_disposing_the_hub_ends_readers()
    {
        var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        var a = hub.Subscribe("a");
        var b = hub.Subscribe("b");
        var counts = new List<int>();
        hub.SubscriberCountChanged += (_, n) => counts.Add(n);
        a.Dispose();
        Assert.Equal(1, hub.SubscriberCount);
        hub.Dispose();
        Assert.False(b.WaitToReadAsync().AsTask().Result);
        Assert.Equal([1], counts);
        Assert.Throws<ObjectDisposedException>(() => hub.Subscribe("c"));
    }

    [Fact]
    public async Task A_burst_wakes_a_waiting_consumer_once_and_never_on_the_sources_thread()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var sub = hub.Subscribe("recorder", acceptsBatches: true);
        var wakes = 0;
        var frames = 0;
        var sourceThread = -1; // the thread inside OnFrames, while it is
        var wokeOnSource = false;
        var consumer = Task.Run(async () =>
        {
            while (await sub.WaitToReadAsync())
            {
                wakes++;
                wokeOnSource |= Environment.CurrentManagedThreadId == Volatile.Read(ref sourceThread);
                frames += Drain(sub).Count;
            }
        });
        var stream = new SyntheticStream();
        for (var burst = 0; burst < 5; burst++)
        {
            await WaitUntilAsync(() => frames == burst * 20 && sub.IsWaiting);
            var burstFrames = Enumerable.Range(0, 10).SelectMany(_ => stream.Next()).ToArray(); // a pacer tick's worth
            Volatile.Write(ref sourceThread, Environment.CurrentManagedThreadId);
            hub.OnFrames(burstFrames);
            Volatile.Write(ref sourceThread, -1);
        }

        await WaitUntilAsync(() => frames == 100);
        hub.Dispose();
        await consumer;
        Assert.Equal(5, wakes); // one per burst, not one per frame (100)
        Assert.False(wokeOnSource);
        Assert.Equal(100, hub.FramesIn);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_frames_queued_and_ends_cleanly()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var sub = hub.Subscribe("recorder", acceptsBatches: true);
        using var idle = new CancellationTokenSource();

        var wait = sub.WaitToReadAsync(idle.Token);
        Assert.False(wait.IsCompleted);
        await idle.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);

        new SyntheticStream().Push(hub, 3);
        Assert.True(await sub.WaitToReadAsync(idle.Token)); // frames queued: true at once, even with a cancelled token
        sub.Dispose();
        Assert.True(await sub.WaitToReadAsync()); // closed, but what was queued is still read
        Assert.Equal(6, Drain(sub).Count);
        Assert.False(await sub.WaitToReadAsync());
    }

    [Fact]
    public async Task A_deferred_consumer_is_woken_only_by_a_due_frame_a_keyframe_or_a_filling_queue()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var sub = hub.Subscribe("recorder", acceptsBatches: true);
        var plain = new SyntheticStream(gop: 100_000, start: 1); // frame i (video + audio) at i * 40 ms, never a keyframe
        MediaFrame[] Burst(int videoFrames) => Enumerable.Range(0, videoFrames).SelectMany(_ => plain.Next()).ToArray();
        hub.OnFrames(new SyntheticStream(gop: 1).Next().ToArray()); // a new consumer starts at a keyframe
        Assert.Equal(2, Drain(sub).Count);

        // Due time: the consumer sleeps through frames before it, and wakes at the burst that reaches it.
        sub.DeferWakeUntil(400);
        var wait = sub.WaitToReadAsync().AsTask();
        hub.OnFrames(Burst(5)); // 40-200 ms
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        Assert.Equal(10, sub.Stats.Queued);
        hub.OnFrames(Burst(5)); // 240-400 ms
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(20, Drain(sub).Count);

        // A keyframe (it may cut a segment) wakes at once.
        sub.DeferWakeUntil(long.MaxValue);
        wait = sub.WaitToReadAsync().AsTask();
        hub.OnFrames(Burst(2));
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        hub.OnFrames(new SyntheticStream(gop: 1, start: 20).Next().ToArray());
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(6, Drain(sub).Count);

        // However late the due time, a queue a quarter full wakes: deferring never turns into dropping.
        sub.DeferWakeUntil(long.MaxValue);
        wait = sub.WaitToReadAsync().AsTask();
        hub.OnFrames(Burst(HubSubscription.DefaultCapacity / 8));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, sub.Stats.Drops);

        // The deferral is for one wait only: without a new one, any frame wakes.
        Drain(sub);
        wait = sub.WaitToReadAsync().AsTask();
        hub.OnFrames(Burst(1));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task ReadAllAsync_yields_frames_in_order_as_they_arrive()
    {
        using var hub = new StreamHub("cam");
        hub.OnTracks(SyntheticStream.Tracks);
        using var sub = hub.Subscribe("a");
        var reader = Task.Run(async () =>
        {
            var n = 0;
            long lastDts = -1;
            await foreach (var frame in sub.ReadAllAsync())
            {
                if (frame.Track.Kind == MediaKind.Video)
                {
                    Assert.True(frame.Dts > lastDts);
                    lastDts = frame.Dts;
                }

                if (++n == 400)
                {
                    return n;
                }
            }

            return n;
        });
        var stream = new SyntheticStream();
        for (var i = 0; i < 200; i++)
        {
            stream.Push(hub, 1);
            if (i % 20 == 0)
            {
                await Task.Yield();
            }
        }

        Assert.Equal(400, await reader.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
