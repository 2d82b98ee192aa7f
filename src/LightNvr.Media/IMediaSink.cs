namespace LightNvr.Media;

/// <summary>Where a source (an RTSP client, an RTSP publisher) delivers what it receives.</summary>
public interface IMediaSink
{
    /// <summary>Called once per connection, before any frame, with every track the source will deliver.</summary>
    void OnTracks(IReadOnlyList<MediaTrack> tracks);

    /// <summary>Called on the source's receive loop; must not block (the hub only enqueues).</summary>
    void OnFrame(MediaFrame frame);

    /// <summary>
    /// A burst of frames from one read, in order (a paced camera's tick, or every frame one TCP read completed).
    /// Same rules as <see cref="OnFrame"/>; a sink may wake its consumers once for the whole burst.
    /// </summary>
    void OnFrames(ReadOnlySpan<MediaFrame> frames)
    {
        foreach (var frame in frames)
        {
            OnFrame(frame);
        }
    }

    /// <summary>
    /// True while every consumer can take frames in bursts a <see cref="Streaming.ReceivePacer"/> tick apart (only
    /// a recorder reads): the source may then read paced rather than wake on every packet. Read on every receive.
    /// </summary>
    bool AcceptsBatchedDelivery => false;
}
