using System.Threading.Channels;

namespace LightNvr.Events;

/// <summary>
/// The server-sent-events feed's fan-out (<c>GET /api/events/feed</c>): every client gets its own bounded queue of the
/// changes it may see (its streams only, and the one stream it asked for). A client whose queue is full is dropped
/// (its response ends; the browser's EventSource reconnects and re-reads the list), never waited for: a slow client
/// cannot hold the event loop or the other clients (D1's rule for consumers).
/// </summary>
public sealed class EventFeed : IEventConsumer
{
    /// <summary>
    /// Changes queued per client at most: a burst of every camera starting an event at once (64 cameras × a few
    /// labels) fits; a client that falls this far behind is gone or too slow, and is dropped.
    /// </summary>
    public const int MaxQueuedPerClient = 256;

    /// <summary>Clients at most (each holds a connection and a queue); the 257th gets 503.</summary>
    public const int MaxClients = 256;

    private readonly Lock _lock = new();
    private FeedClient[] _clients = [];
    private long _droppedClients;

    public EventFeed(EventService events) => events.Subscribe(this);

    public int ClientCount => Volatile.Read(ref _clients).Length;

    /// <summary>Clients dropped because their queue was full.</summary>
    public long DroppedClients => Interlocked.Read(ref _droppedClients);

    /// <summary>
    /// A new client that sees <paramref name="allowed"/> streams (null = all) and, when given, only <paramref name="stream"/>.
    /// Null when <see cref="MaxClients"/> are connected. Dispose it when the connection ends.
    /// </summary>
    public FeedClient? Connect(IReadOnlySet<string>? allowed, string? stream)
    {
        lock (_lock)
        {
            if (_clients.Length >= MaxClients)
            {
                return null;
            }
            var client = new FeedClient(this, allowed, stream);
            _clients = [.. _clients, client];
            return client;
        }
    }

    internal void Remove(FeedClient client)
    {
        lock (_lock)
        {
            _clients = [.. _clients.Where(c => !ReferenceEquals(c, client))];
        }
    }

    public void OnEvent(EventChange change)
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (client.Wants(change.Event.StreamName) && !client.Queue.Writer.TryWrite(change))
            {
                client.Queue.Writer.TryComplete(new ChannelClosedException("too slow: queue full"));
                Interlocked.Increment(ref _droppedClients);
                Remove(client);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            client.Queue.Writer.TryComplete();
        }
        return Task.CompletedTask;
    }
}
