using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Produces the Authorization header for each request once the camera has challenged: Digest with MD5
/// (RFC 2617 §3.2.2; RFC 7616 §3.4 with <c>qop=auth</c> or without qop) preferred, else Basic (RFC 7617).
/// Holds the credentials; never prints them (no ToString, no logging here).
/// </summary>
public sealed class RtspAuthenticator
{
    private readonly NetworkCredential _credential;
    private readonly RtspAuthChallenge _challenge;
    private readonly string _cnonce;
    private int _nonceCount;

    private RtspAuthenticator(NetworkCredential credential, RtspAuthChallenge challenge, string cnonce)
    {
        _credential = credential;
        _challenge = challenge;
        _cnonce = cnonce;
    }

    public bool IsDigest => _challenge.IsDigest;

    /// <summary>
    /// Picks the strongest challenge we support among the <c>WWW-Authenticate</c> values: Digest MD5 first, then
    /// Basic. Null when none is usable (e.g. only Digest SHA-256, which no camera we know of sends).
    /// </summary>
    public static RtspAuthenticator? Create(NetworkCredential credential, IEnumerable<string> challenges,
        string? cnonce = null)
    {
        RtspAuthChallenge? basic = null;
        foreach (var value in challenges)
        {
            if (!RtspAuthChallenge.TryParse(value, out var c) || c is null)
            {
                continue;
            }

            var algorithm = c["algorithm"];
            if (c.IsDigest && c["nonce"] is not null &&
                (algorithm is null || algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase)))
            {
                return new RtspAuthenticator(credential, c, cnonce ?? NewCnonce());
            }

            if (c.IsBasic)
            {
                basic ??= c;
            }
        }

        return basic is null ? null : new RtspAuthenticator(credential, basic, "");
    }

    /// <summary>The Authorization header value for <paramref name="method"/> on <paramref name="uri"/>.</summary>
    public string GetAuthorization(string method, string uri)
    {
        if (!_challenge.IsDigest)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credential.UserName}:{_credential.Password}"));
            return "Basic " + token;
        }

        var realm = _challenge["realm"] ?? "";
        var nonce = _challenge["nonce"] ?? "";
        var ha1 = Md5Hex($"{_credential.UserName}:{realm}:{_credential.Password}");
        var ha2 = Md5Hex($"{method}:{uri}");
        var sb = new StringBuilder("Digest ");
        sb.Append(CultureInfo.InvariantCulture,
            $"username=\"{Quote(_credential.UserName)}\", realm=\"{Quote(realm)}\", nonce=\"{Quote(nonce)}\", uri=\"{uri}\"");
        if (SupportsQopAuth(_challenge["qop"]))
        {
            var nc = (++_nonceCount).ToString("x8", CultureInfo.InvariantCulture);
            var response = Md5Hex($"{ha1}:{nonce}:{nc}:{_cnonce}:auth:{ha2}");
            sb.Append(CultureInfo.InvariantCulture,
                $", response=\"{response}\", qop=auth, nc={nc}, cnonce=\"{_cnonce}\"");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $", response=\"{Md5Hex($"{ha1}:{nonce}:{ha2}")}\"");
        }

        if (_challenge["opaque"] is { } opaque)
        {
            sb.Append(CultureInfo.InvariantCulture, $", opaque=\"{Quote(opaque)}\"");
        }

        if (_challenge["algorithm"] is { } algorithm)
        {
            sb.Append(CultureInfo.InvariantCulture, $", algorithm={algorithm}");
        }

        return sb.ToString();
    }

    /// <summary>qop is a comma list of options (RFC 7616 §3.3); we do <c>auth</c>, never <c>auth-int</c>.</summary>
    private static bool SupportsQopAuth(string? qop) =>
        qop is not null && qop.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase);

    private static string Quote(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string NewCnonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

#pragma warning disable CA5351 // MD5 is what RFC 2617 Digest and every camera use; it is not our choice of hash.
    private static string Md5Hex(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));
#pragma warning restore CA5351
}
