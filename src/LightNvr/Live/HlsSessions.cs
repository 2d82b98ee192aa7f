using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.IO;

namespace LightNvr.Live;

/// <summary>
/// The live HLS sessions: one shared per stream for LightNVR's <c>/hls/{stream}/</c>, one per client for go2rtc's
/// <c>stream.m3u8</c> (a session id in the query, as go2rtc does). A session ends <see cref="IdleTimeout"/> after its
/// last playlist or segment request; everything is in memory and bounded (<see cref="MaxSessions"/>).
/// </summary>
public sealed class HlsSessions : IAsyncDisposable
{
    /// <summary>A player requests the playlist every target duration (2 s); 30 s without one means it left.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sessions at once: with ≤ 2 MB of segments each this bounds HLS memory to about 128 MB worst case.</summary>
    public const int MaxSessions = 64;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, HlsSession> _sessions = new(StringComparer.Ordinal);
    private readonly LiveConsumers _consumers;
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    public HlsSessions(LiveConsumers consumers, TimeProvider time)
    {
        _consumers = consumers;
        _time = time;
        _sweeper = time.CreateTimer(_ => _ = SweepAsync(), null, SweepInterval, SweepInterval);
    }

    public int Count => _sessions.Count;

    /// <summary>The shared session of a stream (LightNVR's own path), started on first use.</summary>
    public HlsSession? ForStream(CameraStream stream, Func<LiveConsumer> consumer)
    {
        var id = "stream:" + stream.Name;
        if (_sessions.TryGetValue(id, out var s) && ReferenceEquals(s.Stream, stream) && !s.Ended)
        {
            return s;
        }

        return Start(id, stream, consumer);
    }

    /// <summary>A new session with a random id (go2rtc's stream.m3u8).</summary>
    public HlsSession? Create(CameraStream stream, Func<LiveConsumer> consumer) =>
        Start(Convert.ToHexStringLower(KernelRandom.GetBytes(8)), stream, consumer);

    public HlsSession? Get(string id) => _sessions.TryGetValue(id, out var s) ? s : null;

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (var id in _sessions.Keys.ToArray())
        {
            if (_sessions.TryRemove(id, out var s))
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private HlsSession? Start(string id, CameraStream stream, Func<LiveConsumer> consumer)
    {
        if (_sessions.Count >= MaxSessions && !_sessions.ContainsKey(id))
        {
            return null;
        }

        var session = new HlsSession(id, stream, consumer(), _consumers, _time);
        if (_sessions.TryRemove(id, out var old))
        {
            _ = old.DisposeAsync().AsTask();
        }

        _sessions[id] = session;
        return session;
    }

    private async Task SweepAsync()
    {
        foreach (var (id, session) in _sessions.ToArray())
        {
            if ((session.Idle >= IdleTimeout || (session.Ended && session.Idle >= SweepInterval))
                && _sessions.TryRemove(new KeyValuePair<string, HlsSession>(id, session)))
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
