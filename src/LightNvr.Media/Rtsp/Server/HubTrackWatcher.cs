using System.Runtime.CompilerServices;
using LightNvr.Media.Streaming;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// The newest <see cref="MediaTrack"/> per track id of a hub, taken from its frames: a camera that sends its
/// parameter sets only in-band has a track without SPS/PPS in <see cref="StreamHub.Tracks"/>, but its frames carry a
/// track with them, and the SDP needs them. One watcher per hub, attached on the first DESCRIBE and kept as long as
/// the hub lives (a weak table keyed by the hub).
/// </summary>
internal sealed class HubTrackWatcher
{
    /// <summary>Track ids we remember; a stream has a handful of tracks (the SDP parser caps media at 16).</summary>
    private const int MaxTracks = 32;

    private static readonly ConditionalWeakTable<StreamHub, HubTrackWatcher> Watchers = new();
    private readonly MediaTrack?[] _latest = new MediaTrack?[MaxTracks];

    private HubTrackWatcher(StreamHub hub)
    {
        hub.FramePublished += OnFrame;
        hub.TracksChanged += (_, _) => Array.Clear(_latest);
    }

    public static HubTrackWatcher For(StreamHub hub) => Watchers.GetValue(hub, h => new HubTrackWatcher(h));

    /// <summary>The newest version of track <paramref name="id"/> seen in a frame, or null.</summary>
    public MediaTrack? Latest(int id) => id is >= 0 and < MaxTracks ? Volatile.Read(ref _latest[id]) : null;

    private void OnFrame(MediaFrame frame)
    {
        var id = frame.Track.Id;
        if (id is >= 0 and < MaxTracks && !ReferenceEquals(_latest[id], frame.Track))
        {
            Volatile.Write(ref _latest[id], frame.Track);
        }
    }
}
