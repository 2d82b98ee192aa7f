using System.Collections.Concurrent;
using LightNvr.Media;

namespace LightNvr.Interop.Tests.Rtsp;

/// <summary>An <see cref="IMediaSink"/> that keeps what it is given, for assertions.</summary>
internal sealed class RecordingSink : IMediaSink
{
    public IReadOnlyList<MediaTrack> Tracks { get; private set; } = [];

    public ConcurrentQueue<MediaFrame> Frames { get; } = new();

    public void OnTracks(IReadOnlyList<MediaTrack> tracks) => Tracks = tracks;

    public void OnFrame(MediaFrame frame)
    {
        if (Frames.Count < 10_000)
        {
            Frames.Enqueue(frame);
        }
    }
}
