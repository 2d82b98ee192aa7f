using LightNvr.Cameras;
using LightNvr.Data;

namespace LightNvr.Live;

/// <summary>
/// Privacy mode for viewers already watching: when a stream's <c>streaming_enabled</c> turns false (or
/// <c>privacy_mode</c> true) every live viewer of it and of its <c>NAME_sub</c> is ended (its hub subscription is
/// disposed, so MSE, MP4 and HLS sessions stop and snapshots stop being made); new requests are refused by
/// <see cref="LiveStreams.OpenLive"/>. Recording and detection are not live paths and go on.
/// </summary>
public sealed class PrivacyGuard(LiveConsumers consumers) : IStreamChangeListener
{
    public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
    {
        if (IsPrivate(after) && !IsPrivate(before))
        {
            consumers.EndFor(after.Name);
            consumers.EndFor(after.Name + CameraService.SubStreamSuffix);
        }

        return Task.CompletedTask;
    }

    public static bool IsPrivate(StreamConfig stream) => !stream.StreamingEnabled || stream.PrivacyMode;
}
