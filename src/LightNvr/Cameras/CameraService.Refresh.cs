using System.Collections.Concurrent;

namespace LightNvr.Cameras;

/// <summary>
/// Upstream's <c>POST /api/streams/{name}/refresh</c>: reconnects a running camera (a new connection and hub; viewers
/// reconnect, the recorder finishes its segment and starts a new one), in the background. A second refresh while one
/// runs or within <see cref="RefreshCooldown"/> of the last is coalesced (upstream's answer with
/// <c>retry_after_seconds</c>).
/// </summary>
public sealed partial class CameraService
{
    /// <summary>Upstream's cooldown between two refreshes of one stream.</summary>
    public static readonly TimeSpan RefreshCooldown = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _refreshed = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a reconnect of <paramref name="name"/>; null when the camera is not running, else the seconds to wait
    /// before another refresh is taken (0: this one was accepted, above 0: coalesced with a recent one).
    /// </summary>
    public int? Refresh(string name)
    {
        // The cooldown first: while a refresh restarts the camera it is briefly not listed, and is still "refreshing".
        var now = time.GetUtcNow();
        var last = _refreshed.GetOrAdd(name, DateTimeOffset.MinValue);
        if (now - last < RefreshCooldown)
        {
            return Math.Max(1, (int)Math.Ceiling((last + RefreshCooldown - now).TotalSeconds));
        }

        if (!_cameras.TryGetValue(name, out var camera))
        {
            return null;
        }

        if (!_refreshed.TryUpdate(name, now, last))
        {
            return (int)RefreshCooldown.TotalSeconds; // another request won the race
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (_cameras.TryGetValue(name, out var running) && ReferenceEquals(running, camera))
                {
                    LogRefresh(name);
                    await RestartAsync(camera.Config, CancellationToken.None).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // a background reconnect: its failure is logged, the camera's supervisor retries anyway
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRefreshFailed(name, e.Message);
            }
        });
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name}: refresh requested, reconnecting")]
    private partial void LogRefresh(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Name}: refresh failed: {Reason}")]
    private partial void LogRefreshFailed(string name, string reason);
}
