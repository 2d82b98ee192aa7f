using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>
/// <c>webhooks</c> and <c>webhook_deliveries</c> (M0008): hooks round trip, each hook's queue is first in first out
/// with one head per hook, the pending queue and the log are bounded, disabling drops pending rows, deleting cascades.
/// </summary>
public class WebhookStoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private WebhookStore _store = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.MigratedAsync(Engine, _folder.File("hooks.db"), _time);
        _store = new WebhookStore(_db, _time);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The engine this class's tests run on; <see cref="PostgresWebhookStoreTests"/> runs them on PostgreSQL.</summary>
    protected virtual DatabaseEngine Engine => TestDatabases.Default;

    private Task<long> AddHookAsync(string url = "http://192.0.2.1/hook", bool enabled = true) => _store.InsertAsync(new WebhookRecord
    {
        Name = "ha", Url = url, Secret = "0123456789abcdef", EventKinds = ["start", "end"], Streams = ["porch", "garage"], Enabled = enabled,
    });

    private static WebhookDelivery Delivery(long hook, string kind = "event.start", long eventId = 1) =>
        new() { WebhookId = hook, Kind = kind, EventId = eventId, StreamName = "porch", Body = $$"""{"n":{{eventId}}}""" };

    [Fact]
    public async Task Hooks_round_trip_with_lists_and_filters()
    {
        var id = await AddHookAsync();
        var hook = (await _store.GetAsync(id))!;

        Assert.Equal(["start", "end"], hook.EventKinds);
        Assert.Equal(["porch", "garage"], hook.Streams);
        Assert.Equal("0123456789abcdef", hook.Secret);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), hook.CreatedAt);
        Assert.True(hook.Wants("start", "porch"));
        Assert.False(hook.Wants("update", "porch"));
        Assert.False(hook.Wants("start", "driveway"));
        Assert.True((hook with { Streams = [] }).Wants("end", "driveway"));
        Assert.False((hook with { Enabled = false }).Wants("start", "porch"));

        Assert.True(await _store.UpdateAsync(hook with { Streams = [], EventKinds = ["update"] }));
        Assert.Empty((await _store.GetAsync(id))!.Streams);
        Assert.True(await _store.DeleteAsync(id));
        Assert.False(await _store.DeleteAsync(id));
        Assert.Null(await _store.GetAsync(id));
    }

    [Fact]
    public async Task Each_hook_has_one_head_its_oldest_pending_delivery()
    {
        var a = await AddHookAsync();
        var b = await AddHookAsync();
        var disabled = await AddHookAsync(enabled: false);
        await _store.EnqueueAsync([Delivery(a, eventId: 1), Delivery(b, eventId: 2), Delivery(a, "event.end", 1), Delivery(disabled)]);

        var heads = await _store.PendingHeadsAsync();

        Assert.Equal([(a, "event.start"), (b, "event.start")], heads.Select(h => (h.WebhookId, h.Kind)).Order());
        var first = heads.Single(h => h.WebhookId == a);
        await _store.RecordAttemptAsync(first, new WebhookAttempt(WebhookDeliveryState.Delivered, 0, 200, null, 1000, 5));
        var next = (await _store.PendingHeadsAsync()).Single(h => h.WebhookId == a);
        Assert.Equal("event.end", next.Kind); // the end follows its start, never before it
        var hook = (await _store.GetAsync(a))!;
        Assert.Equal(200, hook.LastStatus);
        Assert.Equal(1, hook.LastSuccessAt);
    }

    [Fact]
    public async Task A_retry_waits_in_the_row_and_counts_its_attempts()
    {
        var a = await AddHookAsync();
        await _store.EnqueueAsync([Delivery(a)]);
        var head = (await _store.PendingHeadsAsync()).Single();
        await _store.RecordAttemptAsync(head, new WebhookAttempt(WebhookDeliveryState.Pending, 99_000, 503, "HTTP 503", 94_000, 7));

        var again = (await _store.PendingHeadsAsync()).Single();
        Assert.Equal(1, again.Attempts);
        Assert.Equal(99_000, again.NextAttemptMs);
        Assert.Equal(503, again.LastStatus);
        var hook = (await _store.GetAsync(a))!;
        Assert.Equal(503, hook.LastStatus);
        Assert.Equal("HTTP 503", hook.LastError);
        Assert.Null(hook.LastSuccessAt);
    }

    [Fact]
    public async Task The_pending_queue_drops_its_oldest_beyond_the_bound()
    {
        var a = await AddHookAsync();
        var batch = Enumerable.Range(1, WebhookStore.MaxPendingPerHook + 5).Select(i => Delivery(a, eventId: i)).ToList();

        Assert.Equal(5, await _store.EnqueueAsync(batch));

        Assert.Equal(WebhookStore.MaxPendingPerHook, await _store.PendingCountAsync(a));
        Assert.Equal(6, (await _store.PendingHeadsAsync()).Single().EventId); // 1–5 dropped, oldest first
    }

    [Fact]
    public async Task The_log_keeps_the_newest_finished_rows_per_hook()
    {
        var a = await AddHookAsync();
        var done = new WebhookAttempt(WebhookDeliveryState.Delivered, 0, 200, null, 1000, 1);
        for (var i = 0; i < WebhookStore.MaxLogPerHook + 10; i++)
        {
            await _store.InsertFinishedAsync(Delivery(a, "test", i), done);
        }
        await _store.EnqueueAsync([Delivery(a, eventId: 999)]);

        var log = await _store.DeliveriesAsync(a, 1000);
        Assert.Equal(WebhookStore.MaxLogPerHook + 1, log.Count); // the kept log and the one pending
        Assert.Equal(WebhookDeliveryState.Pending, log[0].State);
    }

    [Fact]
    public async Task Disabling_drops_pending_rows_and_deleting_takes_the_queue_with_it()
    {
        var a = await AddHookAsync();
        await _store.EnqueueAsync([Delivery(a), Delivery(a)]);

        await _store.DropPendingAsync(a, "hook disabled");
        Assert.Equal(0, await _store.PendingCountAsync(a));
        Assert.All(await _store.DeliveriesAsync(a, 10), d => Assert.Equal(WebhookDeliveryState.Dropped, d.State));

        // A request that was in flight when the hook was disabled does not bring its row back to pending.
        var dropped = (await _store.DeliveriesAsync(a, 10))[0];
        await _store.RecordAttemptAsync(dropped, new WebhookAttempt(WebhookDeliveryState.Pending, 5000, 503, "HTTP 503", 1000, 1));
        Assert.Equal(0, await _store.PendingCountAsync(a));
        Assert.Equal(503, (await _store.GetAsync(a))!.LastStatus);

        await _store.DeleteAsync(a);
        Assert.Empty(await _store.DeliveriesAsync(a, 10));
        await _store.EnqueueAsync([Delivery(a)]); // a change that raced the delete: nothing is queued for a gone hook
        Assert.Empty(await _store.DeliveriesAsync(a, 10));
    }
}
