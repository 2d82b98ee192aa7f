using System.Threading.Channels;

namespace LightNvr.Events;

/// <summary>One connection of the event feed: its filter and its bounded queue (<see cref="EventFeed"/>).</summary>
public sealed class FeedClient : IDisposable
{
    private readonly EventFeed _feed;
    private readonly IReadOnlySet<string>? _allowed;
    private readonly string? _stream;

    internal FeedClient(EventFeed feed, IReadOnlySet<string>? allowed, string? stream)
    {
        _feed = feed;
        _allowed = allowed;
        _stream = stream;
    }

    /// <summary>Completed when the feed drops the client (too slow, with an error) or shuts down.</summary>
    public Channel<EventChange> Queue { get; } = Channel.CreateBounded<EventChange>(
        new BoundedChannelOptions(EventFeed.MaxQueuedPerClient) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public bool Wants(string stream) =>
        (_stream is null || string.Equals(_stream, stream, StringComparison.Ordinal)) && (_allowed is null || _allowed.Contains(stream));

    public void Dispose()
    {
        Queue.Writer.TryComplete();
        _feed.Remove(this);
    }
}
