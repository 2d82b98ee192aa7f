using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// The request signature (docs/webhooks.md): HMAC-SHA256 keyed with the hook's secret (its UTF-8 bytes) over
/// <c>"{timestamp}.{body}"</c>, where timestamp is the <see cref="TimestampHeader"/> value (unix seconds) and body the
/// raw request bytes, sent as <c>sha256=</c> and lowercase hex in <see cref="SignatureHeader"/>. Signing the timestamp
/// with the body is what makes it replay-safe: a receiver that rejects a timestamp more than
/// <see cref="MaxReceiverSkew"/> from its clock cannot be fed an old request again, and the timestamp cannot be changed
/// without the secret. The same scheme as Stripe's and Standard Webhooks' (their <c>t.body</c> construction).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-LightNVR-Signature";
    public const string TimestampHeader = "X-LightNVR-Timestamp";
    public const string DeliveryHeader = "X-LightNVR-Delivery";
    public const string EventHeader = "X-LightNVR-Event";
    public const string Prefix = "sha256=";

    /// <summary>The skew a receiver should accept at most (the documented recipe's 5 minutes, Stripe's default tolerance).</summary>
    public static readonly TimeSpan MaxReceiverSkew = TimeSpan.FromMinutes(5);

    /// <summary><c>sha256=</c> + hex of HMAC-SHA256(secret, "{timestamp}.{body}").</summary>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// The receiver's check, as docs/webhooks.md describes it: the signature matches (compared in constant time) and
    /// the timestamp is within <see cref="MaxReceiverSkew"/> of <paramref name="now"/>. Used by the tests' receiver.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (!long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ts)
            || signatureHeader is null
            || Math.Abs(now.ToUnixTimeSeconds() - ts) > MaxReceiverSkew.TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Compute(secret, ts, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}
