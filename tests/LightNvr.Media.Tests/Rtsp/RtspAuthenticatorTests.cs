using System.Net;
using System.Text;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>Basic and Digest answers checked against RFC 2617's worked example and an independent MD5 computation.</summary>
public sealed class RtspAuthenticatorTests
{
    [Fact]
    public void Digest_with_qop_auth_matches_the_rfc_2617_example()
    {
        // RFC 2617 §3.5: Mufasa / "Circle Of Life", cnonce 0a4f113b, nc 00000001.
        var challenge = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", " +
                        "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        var auth = RtspAuthenticator.Create(new NetworkCredential("Mufasa", "Circle Of Life"), [challenge], "0a4f113b")!;

        var header = auth.GetAuthorization("GET", "/dir/index.html");

        Assert.Contains("response=\"6629fae49393a05397450978507c4ef1\"", header, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001, cnonce=\"0a4f113b\"", header, StringComparison.Ordinal);
        Assert.Contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", header, StringComparison.Ordinal);
        Assert.Contains("nc=00000002", auth.GetAuthorization("GET", "/dir/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_without_qop_answers_the_gstreamer_challenge()
    {
        // Challenge captured from GStreamer (TestData/rtsp/gst-digest-02-describe.response.bin); the expected response
        // is MD5(MD5(admin:realm:secret):nonce:MD5(DESCRIBE:uri)) computed with Python's hashlib.
        var auth = RtspAuthenticator.Create(new NetworkCredential("admin", "secret"),
            ["Digest realm=\"GStreamer RTSP Server\", nonce=\"0aea48772530f16d\""])!;

        var header = auth.GetAuthorization("DESCRIBE", "rtsp://127.0.0.1:8554/cam");

        Assert.Equal("Digest username=\"admin\", realm=\"GStreamer RTSP Server\", nonce=\"0aea48772530f16d\", " +
                     "uri=\"rtsp://127.0.0.1:8554/cam\", response=\"e59c0f45379eb72e9f124f2a05d69e66\"", header);
    }

    [Fact]
    public void Digest_is_preferred_over_basic_whatever_the_order()
    {
        var auth = RtspAuthenticator.Create(new NetworkCredential("a", "b"),
            ["Basic realm=\"IP Camera(C1234)\"", "Digest realm=\"IP Camera(C1234)\", nonce=\"n\", stale=\"FALSE\""])!;
        Assert.True(auth.IsDigest);
    }

    [Fact]
    public void Basic_encodes_user_and_password()
    {
        var auth = RtspAuthenticator.Create(new NetworkCredential("admin", "p@ss:wörd"), ["Basic realm=\"x\""])!;
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:p@ss:wörd")),
            auth.GetAuthorization("DESCRIBE", "rtsp://h/x"));
    }

    [Theory]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256")]
    [InlineData("Bearer token")]
    [InlineData("")]
    public void Unsupported_challenges_give_no_authenticator(string challenge) =>
        Assert.Null(RtspAuthenticator.Create(new NetworkCredential("a", "b"), [challenge]));

    [Fact]
    public void Challenge_parameters_unquote_and_unescape()
    {
        Assert.True(RtspAuthChallenge.TryParse("Digest realm=\"a \\\"b\\\", c\",nonce=abc , stale=TRUE", out var c));
        Assert.Equal("a \"b\", c", c!["realm"]);
        Assert.Equal("abc", c["nonce"]);
        Assert.Equal("TRUE", c["STALE"]);
    }
}
