namespace LightNvr.Events;

/// <summary>
/// A consumer of event changes (the feed, event recording, snapshots). <see cref="OnEvent"/> is called on the event
/// loop's thread and must not block (queue the work). <see cref="StopAsync"/> runs at shutdown after every open event
/// has been closed (so its <c>end</c> has been seen).
/// </summary>
public interface IEventConsumer
{
    void OnEvent(EventChange change);

    Task StopAsync(CancellationToken cancellationToken);
}
