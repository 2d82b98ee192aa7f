using System.Threading.Channels;
using LightNvr.Events;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// The webhooks' event consumer. <see cref="OnEvent"/> runs on the event loop's thread and only writes the change into
/// a bounded in-memory queue (never waits: a full queue drops the change and counts it); <see cref="WebhookSender"/>
/// matches it against the hooks, writes one pending delivery per hook that wants it to the database, and sends. So a
/// slow or dead receiver costs the event loop one channel write, whatever it does.
/// </summary>
public sealed class WebhookDispatcher : IEventConsumer
{
    /// <summary>
    /// Changes waiting to be written as deliveries: the sender writes a batch per database transaction (milliseconds), so
    /// this only fills when the database stalls; 1,024 is <see cref="EventService.MaxQueued"/>, the spine's own bound.
    /// </summary>
    public const int MaxQueued = EventService.MaxQueued;

    private readonly Channel<EventChange> _queue = Channel.CreateBounded<EventChange>(
        new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _dropped;
    private volatile bool _anyHook = true; // until the sender has looked: nothing is lost at start-up

    public WebhookDispatcher(EventService events)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.Subscribe(this);
    }

    /// <summary>Changes dropped because <see cref="MaxQueued"/> were waiting.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<EventChange> Reader => _queue.Reader;

    /// <summary>Set by the sender when the hook list changes: with no enabled hook, changes are not even queued.</summary>
    internal bool AnyHook
    {
        get => _anyHook;
        set => _anyHook = value;
    }

    public void OnEvent(EventChange change)
    {
        if (_anyHook && !_queue.Writer.TryWrite(change))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Called after the spine has sent every <c>end</c>: nothing more will come; the sender drains what is queued.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return Task.CompletedTask;
    }
}
