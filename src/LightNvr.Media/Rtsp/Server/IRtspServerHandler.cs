using LightNvr.Media.Streaming;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// What the RTSP server asks its host: who may do what, which hub serves a stream, where a published stream goes.
/// Called on connection tasks; implementations must be thread-safe and must not log credentials.
/// </summary>
public interface IRtspServerHandler
{
    /// <summary>Checks the client's credentials for an access to a stream.</summary>
    ValueTask<RtspAuthorization> AuthorizeAsync(RtspAccessRequest request, CancellationToken cancellationToken);

    /// <summary>The hub of a stream that may be read, or null (404).</summary>
    StreamHub? FindStream(string name);

    /// <summary>
    /// A target for a publisher of <paramref name="name"/>, or null with the RTSP status to answer (404 unknown
    /// stream, 403 a stream that is no publish target).
    /// </summary>
    IRtspPublishTarget? StartPublishing(string name, out int statusCode);
}
