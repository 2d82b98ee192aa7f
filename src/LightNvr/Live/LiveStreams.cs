using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Data;

namespace LightNvr.Live;

/// <summary>
/// The streams a viewer can name: every camera of <see cref="CameraService"/> plus ad-hoc sources added through
/// go2rtc's <c>PUT /api/streams</c> (in memory only, never recorded, connected on demand like any
/// <c>record: false</c> stream, gone at restart), plus each camera's sub-stream as <c>NAME_sub</c>
/// (<see cref="CameraService.TryGetSubStream(string, out CameraStream, out CameraStream)"/>, made and connected on
/// demand). A configured camera wins over an ad-hoc source or a sub-stream of the same name. Privacy mode is refused
/// here for every live path (<see cref="OpenLive"/>). Thread-safe.
/// </summary>
public sealed class LiveStreams(CameraService cameras, ICameraSourceFactory sources, TimeProvider time) : IAsyncDisposable
{
    /// <summary>Ad-hoc sources at most: the same bound as <c>[streams] max_streams</c>' default (upstream: 32).</summary>
    public const int MaxAdHocSources = 32;

    private readonly ConcurrentDictionary<string, CameraStream> _adHoc = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    public IReadOnlyList<CameraStream> All =>
        cameras.Cameras.Concat(_adHoc.Values.Where(a => !cameras.TryGet(a.Name, out _))).OrderBy(c => c.Name,
            StringComparer.Ordinal).ToArray();

    /// <summary>Status of a live request refused because the stream is private (upstream has none; 403 as for access).</summary>
    public const int PrivacyStatus = 403;

    public bool TryGet(string name, out CameraStream stream) =>
        cameras.TryGet(name, out stream) || _adHoc.TryGetValue(name, out stream!)
        || cameras.TryGetSubStream(name, out stream, out _);

    /// <summary>
    /// The stream a live viewer asks for (MSE, progressive MP4, HLS, snapshot, RTSP restream), or why not: 404 for a
    /// name that is no stream, <see cref="PrivacyStatus"/> for a camera (or its sub-stream) with
    /// <c>streaming_enabled: false</c> or <c>privacy_mode: true</c>, for every role. A WebRTC path, once built, must
    /// come here too.
    /// </summary>
    public (CameraStream? Stream, LiveRefusal? Refusal) OpenLive(string name)
    {
        if (!TryGet(name, out var stream))
        {
            return (null, new LiveRefusal(404, string.IsNullOrEmpty(name) ? "src is required" : $"stream not found: {name}"));
        }

        return PrivacyRefusal(name) is { } refusal ? (null, refusal) : (stream, null);
    }

    /// <summary>The refusal when <paramref name="name"/> (a camera, or a camera's <c>NAME_sub</c>) is private; else null.</summary>
    public LiveRefusal? PrivacyRefusal(string name)
    {
        var owner = cameras.TryGet(name, out var camera) ? camera
            : cameras.TryGetSubStream(name, out _, out var main) ? main
            : null;
        return owner?.Config is { } config && (!config.StreamingEnabled || config.PrivacyMode)
            ? new LiveRefusal(PrivacyStatus,
                $"stream '{owner.Name}' is in privacy mode (streaming_enabled is false): live view, snapshots and restream are off")
            : null;
    }

    public bool IsAdHoc(string name) => _adHoc.ContainsKey(name) && !cameras.TryGet(name, out _);

    /// <summary>Adds or replaces an ad-hoc source. False when a camera has that name or the bound is reached.</summary>
    public async Task<bool> PutAsync(string name, string url)
    {
        if (cameras.TryGet(name, out _))
        {
            return false;
        }

        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_adHoc.ContainsKey(name) && _adHoc.Count >= MaxAdHocSources)
            {
                return false;
            }

            var config = new StreamConfig { Name = name, Url = url, Record = false, RecordAudio = false };
            var stream = new CameraStream(config, sources.Create(config), time);
            if (_adHoc.TryRemove(name, out var old))
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }

            _adHoc[name] = stream;
            stream.Start(keepConnected: false);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes an ad-hoc source (its viewers end). False when there is none of that name.</summary>
    public async Task<bool> DeleteAsync(string name)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_adHoc.TryRemove(name, out var stream))
            {
                return false;
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _adHoc.Keys.ToArray())
        {
            await DeleteAsync(name).ConfigureAwait(false);
        }

        _lock.Dispose();
    }
}
