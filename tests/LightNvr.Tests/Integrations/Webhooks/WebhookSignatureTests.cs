using System.Text;
using LightNvr.Integrations.Webhooks;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>
/// The signature scheme against an independent implementation (the expected value was computed with Python's
/// <c>hmac.new(secret, b"1767268800." + body, hashlib.sha256).hexdigest()</c>), and the receiver's check: a changed
/// body, timestamp or secret fails, and so does a timestamp more than five minutes from the receiver's clock (replay).
/// </summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef-secret";
    private const long Timestamp = 1767268800; // 2026-01-01 12:00 UTC
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"test"}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void Signature_is_hmac_sha256_of_timestamp_dot_body_as_python_computes_it()
    {
        Assert.Equal("sha256=0f0843976cc7a94ca7c0f512da7108334d3ce5a2b29387a7c8902763019408b2",
            WebhookSignature.Compute(Secret, Timestamp, Body));
    }

    [Fact]
    public void Receiver_check_accepts_the_real_request_and_refuses_any_change()
    {
        var signature = WebhookSignature.Compute(Secret, Timestamp, Body);
        Assert.True(WebhookSignature.Verify(Secret, "1767268800", signature, Body, Now));

        Assert.False(WebhookSignature.Verify(Secret, "1767268801", signature, Body, Now)); // timestamp changed
        Assert.False(WebhookSignature.Verify(Secret, "1767268800", signature, Encoding.UTF8.GetBytes("""{"type":"tesT"}"""), Now));
        Assert.False(WebhookSignature.Verify("another-secret-0123", "1767268800", signature, Body, Now));
        Assert.False(WebhookSignature.Verify(Secret, "1767268800", signature.ToUpperInvariant(), Body, Now));
        Assert.False(WebhookSignature.Verify(Secret, null, signature, Body, Now));
        Assert.False(WebhookSignature.Verify(Secret, "-1767268800", signature, Body, Now));
        Assert.False(WebhookSignature.Verify(Secret, "1767268800", null, Body, Now));
    }

    [Fact]
    public void Receiver_check_refuses_a_replay_older_or_newer_than_five_minutes()
    {
        var signature = WebhookSignature.Compute(Secret, Timestamp, Body);
        Assert.True(WebhookSignature.Verify(Secret, "1767268800", signature, Body, Now.AddSeconds(300)));
        Assert.True(WebhookSignature.Verify(Secret, "1767268800", signature, Body, Now.AddSeconds(-300)));
        Assert.False(WebhookSignature.Verify(Secret, "1767268800", signature, Body, Now.AddSeconds(301)));
        Assert.False(WebhookSignature.Verify(Secret, "1767268800", signature, Body, Now.AddSeconds(-301)));
    }
}
