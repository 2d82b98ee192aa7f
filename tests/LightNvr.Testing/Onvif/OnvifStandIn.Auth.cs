using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>The stand-in's authentication checks, written from the specs, not from the client's code.</summary>
public sealed partial class OnvifStandIn
{
    private const string Realm = "onvif-stand-in";

    /// <summary>The Created time of the last accepted token (to show the client used camera time).</summary>
    public DateTimeOffset? LastTokenCreated { get; private set; }

    private bool Authenticated(HttpListenerContext context, XElement envelope) =>
        HttpDigestOnly ? DigestAuthenticated(context.Request) : TokenAuthenticated(envelope);

    /// <summary>OASIS UsernameToken Profile 1.0 §3.1: Password_Digest = Base64(SHA-1(nonce + created + password)).</summary>
    private bool TokenAuthenticated(XElement envelope)
    {
        var token = envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == "UsernameToken");
        string? Field(string name) => token?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var (user, password, nonce, created) = (Field("Username"), Field("Password"), Field("Nonce"), Field("Created"));
        if (user != Username || password is null || nonce is null || created is null)
        {
            return false;
        }
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ||
            (at - Now).Duration() > MaxClockSkew)
        {
            return false;
        }
        byte[] nonceBytes;
        try
        {
            nonceBytes = Convert.FromBase64String(nonce);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = Convert.ToBase64String(SHA1.HashData([.. nonceBytes, .. Encoding.UTF8.GetBytes(created), .. Encoding.UTF8.GetBytes(Password)]));
        if (expected != password.Trim())
        {
            return false;
        }
        LastTokenCreated = at;
        return true;
    }

    /// <summary>RFC 7616 §3.4.1 with qop=auth and MD5.</summary>
    private bool DigestAuthenticated(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Digest ", StringComparison.Ordinal))
        {
            return false;
        }
        var fields = header[7..].Split(',').Select(p => p.Trim().Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('"'));
        string Md5(string s) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
        if (fields.GetValueOrDefault("username") != Username || fields.GetValueOrDefault("realm") != Realm)
        {
            return false;
        }
        var ha1 = Md5($"{Username}:{Realm}:{Password}");
        var ha2 = Md5($"{request.HttpMethod}:{fields.GetValueOrDefault("uri")}");
        var expected = Md5($"{ha1}:{fields.GetValueOrDefault("nonce")}:{fields.GetValueOrDefault("nc")}:{fields.GetValueOrDefault("cnonce")}:{fields.GetValueOrDefault("qop")}:{ha2}");
        return fields.GetValueOrDefault("response") == expected;
    }
}
