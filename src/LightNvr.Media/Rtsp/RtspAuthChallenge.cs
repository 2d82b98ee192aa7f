namespace LightNvr.Media.Rtsp;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge (RFC 7235 §4.1 syntax, used by RTSP per RFC 2326 §12.44):
/// a scheme and <c>name=value</c> / <c>name="quoted value"</c> parameters.
/// </summary>
public sealed class RtspAuthChallenge
{
    private RtspAuthChallenge(string scheme, Dictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary><c>Basic</c> or <c>Digest</c> (compared case-insensitively).</summary>
    public string Scheme { get; }

    /// <summary>Parameters, names case-insensitive (realm, nonce, qop, algorithm, opaque, stale).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;

    public bool IsDigest => string.Equals(Scheme, "Digest", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string? value, out RtspAuthChallenge? challenge)
    {
        challenge = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var s = value.AsSpan().Trim();
        var space = s.IndexOf(' ');
        var scheme = (space < 0 ? s : s[..space]).ToString();
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = space < 0 ? [] : s[(space + 1)..];
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart(" ,\t");
            var eq = rest.IndexOf('=');
            if (eq <= 0)
            {
                break;
            }

            var name = rest[..eq].Trim().ToString();
            rest = rest[(eq + 1)..].TrimStart();
            string v;
            if (!rest.IsEmpty && rest[0] == '"')
            {
                // quoted-string; a backslash escapes the next character (RFC 7230 §3.2.6).
                var sb = new System.Text.StringBuilder();
                var i = 1;
                for (; i < rest.Length && rest[i] != '"'; i++)
                {
                    if (rest[i] == '\\' && i + 1 < rest.Length)
                    {
                        i++;
                    }

                    sb.Append(rest[i]);
                }

                v = sb.ToString();
                rest = i < rest.Length ? rest[(i + 1)..] : [];
            }
            else
            {
                var comma = rest.IndexOf(',');
                v = (comma < 0 ? rest : rest[..comma]).Trim().ToString();
                rest = comma < 0 ? [] : rest[(comma + 1)..];
            }

            parameters[name] = v;
        }

        challenge = new RtspAuthChallenge(scheme, parameters);
        return scheme.Length > 0;
    }
}
