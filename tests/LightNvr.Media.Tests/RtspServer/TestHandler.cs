using LightNvr.Media.Rtsp.Server;
using LightNvr.Media.Streaming;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>
/// A handler for server tests (a stand-in for the NVR's user store, which lives in the server project): Basic
/// <c>user:pass</c> reads, <c>pub:pass</c> may also publish; stream <c>cam</c> is a hub fed by synthetic frames;
/// <c>push</c> accepts publishers and records what they send.
/// </summary>
internal sealed class TestHandler : IRtspServerHandler
{
    public const string UserAuth = "Basic dXNlcjpwYXNz"; // user:pass
    public const string PublisherAuth = "Basic cHViOnBhc3M="; // pub:pass

    public StreamHub Camera { get; } = new("cam");

    public List<MediaFrame> Published { get; } = [];

    public IReadOnlyList<MediaTrack>? PublishedTracks { get; private set; }

    public ValueTask<RtspAuthorization> AuthorizeAsync(RtspAccessRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Authorization switch
        {
            PublisherAuth => RtspAuthorization.Allowed,
            UserAuth => request.Access == RtspAccess.Read ? RtspAuthorization.Allowed : RtspAuthorization.Forbidden,
            _ => RtspAuthorization.Unauthorized,
        });

    public StreamHub? FindStream(string name) => name == "cam" ? Camera : null;

    public IRtspPublishTarget? StartPublishing(string name, out int statusCode)
    {
        statusCode = name == "push" ? 200 : name == "cam" ? 403 : 404;
        return name == "push" ? new Target(this) : null;
    }

    private sealed class Target(TestHandler owner) : IRtspPublishTarget
    {
        public CancellationToken Revoked => CancellationToken.None;

        public void OnTracks(IReadOnlyList<MediaTrack> tracks) => owner.PublishedTracks = tracks;

        public void OnFrame(MediaFrame frame)
        {
            lock (owner.Published)
            {
                owner.Published.Add(frame);
            }
        }

        public void Dispose()
        {
        }
    }
}
