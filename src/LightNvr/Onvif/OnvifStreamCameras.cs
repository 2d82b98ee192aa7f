using System.Collections.Concurrent;
using LightNvr.Data;

namespace LightNvr.Onvif;

/// <summary>
/// Connected cameras of streams, for the PTZ and imaging routes: connecting costs three calls (clock, capabilities,
/// profiles), too many for every press of a PTZ button, so a session is kept for <see cref="SessionLifetime"/> per
/// stream and dropped when the stream's device URL, credentials or profile change, or when a call fails with the
/// camera unreachable or refusing the password. The device service is the events' (<see cref="OnvifEventService.DeviceUrl"/>).
/// </summary>
public sealed class OnvifStreamCameras(OnvifSoapClient client, TimeProvider time)
{
    /// <summary>How long a session is reused: long enough for a PTZ session, short enough to follow a camera's clock drift.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Most sessions kept (one per stream; upstream's stream limit is far below).</summary>
    public const int MaxSessions = 256;

    private readonly ConcurrentDictionary<string, (string Key, DateTimeOffset Until, OnvifStreamCamera Camera)> _sessions = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    /// <summary>The stream's camera, connected (or the kept session).</summary>
    public async Task<OnvifStreamCamera> GetAsync(StreamConfig stream, CancellationToken cancellationToken)
    {
        var url = OnvifEventService.DeviceUrl(stream)
            ?? throw new OnvifException(OnvifErrorKind.Unreachable, "the stream URL has no host to reach the camera's ONVIF service at");
        var key = string.Join('\n', url.AbsoluteUri, stream.OnvifUsername, stream.OnvifPassword, stream.OnvifProfile);
        var now = time.GetUtcNow();
        if (_sessions.TryGetValue(stream.Name, out var kept) && kept.Key == key && kept.Until > now)
        {
            return kept.Camera;
        }
        var device = await OnvifDevice.ConnectAsync(client, time, url, OnvifCredentials.From(stream.OnvifUsername, stream.OnvifPassword),
            cancellationToken).ConfigureAwait(false);
        var profiles = await device.GetProfileListAsync(cancellationToken).ConfigureAwait(false);
        var profile = profiles.FirstOrDefault(p => p.Token == stream.OnvifProfile)
            ?? profiles.FirstOrDefault(p => p.PtzConfigurationToken is not null)
            ?? profiles.FirstOrDefault()
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera reports no media profile");
        var camera = new OnvifStreamCamera(device, profile);
        if (_sessions.Count >= MaxSessions)
        {
            _sessions.Clear();
        }
        _sessions[stream.Name] = (key, now + SessionLifetime, camera);
        return camera;
    }

    /// <summary>Runs <paramref name="call"/> on the stream's camera; a failure that may mean a stale session drops it.</summary>
    public async Task<T> CallAsync<T>(StreamConfig stream, Func<OnvifStreamCamera, Task<T>> call, CancellationToken cancellationToken)
    {
        var camera = await GetAsync(stream, cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(camera).ConfigureAwait(false);
        }
        catch (OnvifException e) when (e.Kind is OnvifErrorKind.Unreachable or OnvifErrorKind.Unauthorized or OnvifErrorKind.Timeout)
        {
            Forget(stream.Name);
            throw;
        }
    }

    public void Forget(string streamName) => _sessions.TryRemove(streamName, out _);
}
