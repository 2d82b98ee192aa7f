using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// Time-limited TURN credentials in the "TURN REST API" style (draft-uberti-behave-turn-rest-00 §2.2), which coturn
/// checks with <c>use-auth-secret</c> + <c>static-auth-secret</c>: username = "expiry:userid" (expiry in Unix
/// seconds), credential = base64(HMAC-SHA1(shared secret, username)). The TURN server recomputes the credential
/// from the username, so nothing is stored, and a credential stops working at its expiry. The shared secret itself
/// never leaves the server.
/// </summary>
public static class TurnCredentials
{
    /// <summary>How long a credential lives: the draft's suggested day, longer than any live view needs to start.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public static (string Username, string Credential) Create(string secret, string userId, DateTimeOffset now)
    {
        var expiry = now.Add(Lifetime).ToUnixTimeSeconds();
        var username = expiry.ToString(CultureInfo.InvariantCulture) + ":" + userId.Replace(":", "", StringComparison.Ordinal);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username));
        return (username, Convert.ToBase64String(mac));
    }
}
