using System.Collections.Concurrent;
using LightNvr.Data;

namespace LightNvr.Cameras;

/// <summary>
/// Sub-streams: a running camera's <c>sub_stream_url</c> as its own <see cref="CameraStream"/> named
/// <c>NAME_sub</c> (the name the UI's grid tiles ask for), made on first use and connected on demand only: its hub
/// connects at its first subscriber (a tile, a snapshot, the motion detector) and disconnects a linger after the last.
/// One per camera, shared by live viewers and detection, so a watched and detected sub-stream is one connection.
/// Disposed with its camera, or replaced when the URL changes.
/// </summary>
public sealed partial class CameraService
{
    /// <summary>Suffix of a sub-stream's name (upstream's UI asks for <c>NAME_sub</c>).</summary>
    public const string SubStreamSuffix = "_sub";

    private readonly ConcurrentDictionary<string, CameraStream> _subs = new(StringComparer.Ordinal);
    private readonly Lock _subLock = new();

    /// <summary>
    /// The sub-stream of the running camera <paramref name="name"/> for <paramref name="url"/> (the row's
    /// <c>sub_stream_url</c>), made when first asked for; false when the camera is not running or has no sub-stream.
    /// </summary>
    public bool TryGetSubStream(string name, string url, out CameraStream sub)
    {
        sub = null!;
        if (string.IsNullOrWhiteSpace(url) || !_cameras.TryGetValue(name, out var camera))
        {
            return false;
        }

        CameraStream? old = null;
        lock (_subLock)
        {
            if (_subs.TryGetValue(name, out var existing) && existing.Config.Url == url)
            {
                sub = existing;
                return true;
            }

            _subs.TryRemove(name, out old);
            var config = camera.Config with
            {
                Name = name + SubStreamSuffix, Url = url, Record = false, SubStreamUrl = "",
            };
            sub = new CameraStream(config, sources.Create(config), time);
            sub.Start(keepConnected: false);
            _subs[name] = sub;
        }

        if (old is not null)
        {
            _ = old.DisposeAsync().AsTask();
        }

        LogSubStream(name);
        return true;
    }

    /// <summary>
    /// The camera a <c>NAME_sub</c> name belongs to, with its sub-stream, when <paramref name="subName"/> is one
    /// (a configured stream of that exact name wins: callers look it up first).
    /// </summary>
    public bool TryGetSubStream(string subName, out CameraStream sub, out CameraStream main)
    {
        sub = main = null!;
        return subName.EndsWith(SubStreamSuffix, StringComparison.Ordinal)
            && _cameras.TryGetValue(subName[..^SubStreamSuffix.Length], out main!)
            && TryGetSubStream(main.Name, main.Config.SubStreamUrl, out sub);
    }

    /// <summary>The sub-streams that exist now (for the streams list of go2rtc's API and for tests).</summary>
    public IReadOnlyCollection<CameraStream> SubStreams => _subs.Values.ToArray();

    private async Task StopSubStreamAsync(string name)
    {
        CameraStream? sub;
        lock (_subLock)
        {
            _subs.TryRemove(name, out sub);
        }

        if (sub is not null)
        {
            await sub.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A changed row of a running camera: the sub-stream takes the row (names, privacy) or goes when its URL changed.</summary>
    private async Task ReconfigureSubStreamAsync(StreamConfig after)
    {
        if (_subs.TryGetValue(after.Name, out var sub))
        {
            if (sub.Config.Url != after.SubStreamUrl)
            {
                await StopSubStreamAsync(after.Name).ConfigureAwait(false);
            }
            else
            {
                sub.Reconfigure(after with
                {
                    Name = after.Name + SubStreamSuffix, Url = after.SubStreamUrl, Record = false, SubStreamUrl = "",
                });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name}: sub-stream opened (connected on demand)")]
    private partial void LogSubStream(string name);
}
