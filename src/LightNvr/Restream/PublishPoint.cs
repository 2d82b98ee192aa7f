using LightNvr.Media;
using LightNvr.Media.Rtsp.Server;

namespace LightNvr.Restream;

/// <summary>
/// The meeting point of one publish-mode stream: RTSP publishers on one side (the newest one wins, as MediaMTX's
/// default <c>overridePublisher</c>: a restarted ffmpeg must not be locked out by its own dead connection), the
/// stream's source function on the other (<see cref="RunSourceAsync"/>, run by the camera's supervisor).
/// Frames of a publisher while no source is attached (an on-demand stream nobody watches) are dropped.
/// Thread-safety: publishers and the source call from their own tasks; state changes under one lock.
/// </summary>
public sealed class PublishPoint(string name)
{
    private readonly Lock _lock = new();
    private Publisher? _current;
    private IMediaSink? _sink;

    public string Name { get; } = name;

    /// <summary>True while a publisher is connected.</summary>
    public bool HasPublisher
    {
        get
        {
            lock (_lock)
            {
                return _current is not null;
            }
        }
    }

    /// <summary>A new publisher; the previous one, if any, is revoked (its connection closes).</summary>
    public IRtspPublishTarget StartPublisher()
    {
        var publisher = new Publisher(this);
        Publisher? previous;
        lock (_lock)
        {
            previous = _current;
            _current = publisher;
        }

        previous?.Revoke();
        return publisher;
    }

    /// <summary>
    /// The stream's source: attaches <paramref name="sink"/> and feeds it every publisher's tracks and frames, one
    /// publisher after another, until cancelled. A publisher that reconnects sends its tracks again (the hub then
    /// restarts its consumers at a keyframe); the recording goes on in the same way as after a camera reconnect.
    /// </summary>
    public async Task RunSourceAsync(IMediaSink sink, CancellationToken ct)
    {
        lock (_lock)
        {
            _sink = sink;
            if (_current?.Tracks is { } tracks)
            {
                sink.OnTracks(tracks);
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (ReferenceEquals(_sink, sink))
                {
                    _sink = null;
                }
            }
        }
    }

    private void OnTracks(Publisher publisher, IReadOnlyList<MediaTrack> tracks)
    {
        lock (_lock)
        {
            publisher.Tracks = tracks;
            if (ReferenceEquals(_current, publisher))
            {
                _sink?.OnTracks(tracks);
            }
        }
    }

    private void OnFrame(Publisher publisher, MediaFrame frame)
    {
        IMediaSink? sink;
        lock (_lock)
        {
            sink = ReferenceEquals(_current, publisher) ? _sink : null;
        }

        sink?.OnFrame(frame);
    }

    private void End(Publisher publisher)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_current, publisher))
            {
                _current = null;
            }
        }
    }

    private sealed class Publisher(PublishPoint point) : IRtspPublishTarget
    {
        private readonly CancellationTokenSource _revoked = new();

        public IReadOnlyList<MediaTrack>? Tracks { get; set; }

        public CancellationToken Revoked => _revoked.Token;

        public void OnTracks(IReadOnlyList<MediaTrack> tracks) => point.OnTracks(this, tracks);

        public void OnFrame(MediaFrame frame) => point.OnFrame(this, frame);

        public void Revoke()
        {
            try
            {
                _revoked.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            point.End(this);
            _revoked.Dispose();
        }
    }
}
