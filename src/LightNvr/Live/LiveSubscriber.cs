using LightNvr.Cameras;
using LightNvr.Media;
using LightNvr.Media.Streaming;

namespace LightNvr.Live;

/// <summary>
/// Opens a viewer's hub subscription and waits for its first video keyframe: the cached GOP's at once when the camera
/// is connected, or the first one after an on-demand connect (the subscription itself starts the connection).
/// </summary>
public static class LiveSubscriber
{
    /// <summary>
    /// How long a new viewer waits for the first keyframe: an on-demand RTSP connect (about 1 s) plus a 4 s GOP
    /// (the longest the architecture targets), with room for a slow camera.
    /// </summary>
    public static readonly TimeSpan MaxFirstFrameWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The first frames (a video keyframe first, or an audio frame on a stream without video) and the tracks in force
    /// (the keyframe's own track instance, which carries the parameter sets). Null when nothing came in time.
    /// </summary>
    public static async Task<(IReadOnlyList<MediaFrame> First, IReadOnlyList<MediaTrack> Tracks)?> WaitForStartAsync(
        HubSubscription subscription, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(MaxFirstFrameWait, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (await subscription.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                if (subscription.TryRead(out var frame))
                {
                    var tracks = subscription.Tracks.Select(t => t.Id == frame.Track.Id ? frame.Track : t).ToArray();
                    return ([frame], tracks);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return null;
    }

    /// <summary>
    /// A viewer's hub queue in frames: a 4 s GOP at 30 fps with 48 kHz AAC is ~310 frames and must fit (the cached GOP
    /// is the first picture); beyond that a viewer that stopped taking frames is about 7 s behind at 58 frames/s and
    /// better dropped to the next keyframe than queued further (the recorder keeps the hub's larger default).
    /// </summary>
    public const int ViewerQueueCapacity = 400;

    /// <summary>Subscribes a viewer under go2rtc's format name, so the streams JSON shows what it is.</summary>
    public static HubSubscription Subscribe(CameraStream stream, LiveConsumer consumer)
    {
        var subscription = stream.Hub.Subscribe(consumer.FormatName, consumer.Remote, ViewerQueueCapacity);
        consumer.Subscription = subscription;
        return subscription;
    }
}
