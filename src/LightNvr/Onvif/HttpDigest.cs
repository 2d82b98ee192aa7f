using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LightNvr.IO;

namespace LightNvr.Onvif;

/// <summary>
/// HTTP Digest authentication (RFC 7616, MD5 and SHA-256, <c>qop=auth</c> or none): ONVIF Core §5.9.1 lets a camera
/// ask for it instead of (or as well as) the WS-Security token, and many do. Parses the <c>WWW-Authenticate</c>
/// challenge and writes the <c>Authorization</c> value for one request.
/// </summary>
public static class HttpDigest
{
    /// <summary>Longest challenge parsed (a real one is about 200 characters).</summary>
    public const int MaxChallengeLength = 2048;

    /// <summary>The challenge's parameters, or null when it is not a Digest challenge.</summary>
    public static Dictionary<string, string>? ParseChallenge(string header)
    {
        if (header.Length > MaxChallengeLength || !header.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 7;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ' ' || header[i] == ',')) i++;
            var eq = header.IndexOf('=', i);
            if (eq < 0) break;
            var name = header[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < header.Length && header[i] == '"')
            {
                var end = header.IndexOf('"', i + 1);
                if (end < 0) break;
                value = header[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = header.IndexOf(',', i);
                if (end < 0) end = header.Length;
                value = header[i..end].Trim();
                i = end;
            }
            values[name] = value;
        }
        return values.ContainsKey("nonce") && values.ContainsKey("realm") ? values : null;
    }

    /// <summary>The <c>Authorization</c> header value answering <paramref name="challenge"/>.</summary>
    public static string Authorize(Dictionary<string, string> challenge, string method, string uri, string user, string password, string? cnonce = null)
    {
        var algorithm = challenge.GetValueOrDefault("algorithm") ?? "MD5";
        Func<string, string> hash = algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase) ? Sha256 : Md5;
        var realm = challenge["realm"];
        var nonce = challenge["nonce"];
        var qop = challenge.GetValueOrDefault("qop")?.Split(',').Select(q => q.Trim())
            .FirstOrDefault(q => q.Equals("auth", StringComparison.OrdinalIgnoreCase));
        cnonce ??= Convert.ToHexString(KernelRandom.GetBytes(8)).ToLowerInvariant();
        const string nc = "00000001";
        var ha1 = hash($"{user}:{realm}:{password}");
        var ha2 = hash($"{method}:{uri}");
        var response = qop is null ? hash($"{ha1}:{nonce}:{ha2}") : hash($"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
        var header = new StringBuilder("Digest ");
        header.Append(CultureInfo.InvariantCulture, $"username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", ");
        header.Append(CultureInfo.InvariantCulture, $"algorithm={algorithm}, response=\"{response}\"");
        if (qop is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $", qop={qop}, nc={nc}, cnonce=\"{cnonce}\"");
        }
        if (challenge.TryGetValue("opaque", out var opaque))
        {
            header.Append(CultureInfo.InvariantCulture, $", opaque=\"{opaque}\"");
        }
        return header.ToString();
    }

    private static string Md5(string s) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
    private static string Sha256(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
}
