using System.Security.Cryptography;
using System.Text;
using LightNvr.IO;

namespace LightNvr.Restream;

/// <summary>
/// A random password made at start-up, known only to this process and one kind of its own ffmpeg children, that lets
/// them publish into our RTSP server with authentication on, without a user account or a stored secret. Each kind
/// (the demo camera, ffmpeg sources) has its own user name and allows only its own streams (RestreamHandler). Never
/// logged (ffmpeg's command lines and errors are logged redacted).
/// </summary>
public abstract class InternalPublisherCredential
{
    private readonly byte[] _expected;

    protected InternalPublisherCredential(string user)
    {
        User = user;
        Password = Convert.ToHexStringLower(KernelRandom.GetBytes(16));
        _expected = Encoding.ASCII.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")));
    }

    public string User { get; }

    public string Password { get; }

    /// <summary>True when an Authorization header value is this credential (constant-time compare).</summary>
    public bool Matches(string? authorization) =>
        authorization is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(authorization.Trim()), _expected);

    /// <summary>The URL the child publishes to: <paramref name="stream"/> on our RTSP server over loopback.</summary>
    public string PublishUrl(int rtspPort, string stream) =>
        $"rtsp://{User}:{Password}@127.0.0.1:{rtspPort}/{Uri.EscapeDataString(stream)}";
}
