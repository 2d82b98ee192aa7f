using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Restream;

/// <summary>
/// A random password made at start-up, known only to this process and the demo camera's ffmpeg, that allows exactly
/// one thing: publishing the <c>demo</c> stream. So the demo camera works with authentication on, without a user
/// account or a stored secret. Never logged (the ffmpeg command line is logged redacted).
/// </summary>
public sealed class DemoPublisherCredential
{
    /// <summary>The user name the demo camera's ffmpeg sends.</summary>
    public const string UserName = "demo-camera";

    public DemoPublisherCredential()
    {
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _expected = Encoding.ASCII.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}")));
    }

    private readonly byte[] _expected;

    public string Password { get; }

    /// <summary>True when an Authorization header value is this credential (constant-time compare).</summary>
    public bool Matches(string? authorization) =>
        authorization is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(authorization.Trim()), _expected);
}
