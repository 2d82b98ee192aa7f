namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// Where a publisher's stream goes (a stream hub, in the server). <see cref="IMediaSink.OnTracks"/> is called once at
/// RECORD, then frames; <see cref="IDisposable.Dispose"/> when the publisher leaves (TEARDOWN, disconnect, replaced).
/// </summary>
public interface IRtspPublishTarget : IMediaSink, IDisposable
{
    /// <summary>Raised when the target no longer accepts this publisher (e.g. a newer publisher took over).</summary>
    CancellationToken Revoked { get; }
}
