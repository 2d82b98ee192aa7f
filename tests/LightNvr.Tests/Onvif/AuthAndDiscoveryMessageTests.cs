using System.Net;
using LightNvr.Onvif;

namespace LightNvr.Tests.Onvif;

/// <summary>Known vectors for the two authentication schemes, the captured ProbeMatches, and CIDR parsing.</summary>
public sealed class AuthAndDiscoveryMessageTests
{
    [Fact]
    public void Password_digest_matches_the_onvif_programmers_guide_example()
    {
        // ONVIF Application Programmer's Guide §6.1.1.3: nonce, created and password give this digest.
        var digest = UsernameToken.ComputeDigest(Convert.FromBase64String("LKqI6G/AikKCQrN0zqZFlg=="), "2010-09-16T07:50:45Z", "userpassword");
        Assert.Equal("tuOSpGlFlIXsozq4HFNeeGeFLEI=", digest);
    }

    [Fact]
    public void Http_digest_matches_the_rfc_7616_md5_example()
    {
        // RFC 7616 §3.9.1 (MD5).
        var challenge = HttpDigest.ParseChallenge("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, " +
            "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"")!;
        var header = HttpDigest.Authorize(challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        Assert.Contains("response=\"8ca523f5e9506fed4657c9700eebdbec\"", header, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001", header, StringComparison.Ordinal);
        Assert.Contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", header, StringComparison.Ordinal);
        Assert.Null(HttpDigest.ParseChallenge("Basic realm=\"x\""));
    }

    [Fact]
    public void The_captured_probe_matches_parse_to_a_device()
    {
        // The npm mock server puts its own address where the capture says SERVICE_URI; so does this test.
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Onvif", "TestData", "captures", "Probe.xml"))
            .Replace("SERVICE_URI", "http://127.0.0.1:8000/onvif/device_service", StringComparison.Ordinal);
        var device = Assert.Single(WsDiscoveryMessages.ParseProbeMatches(System.Text.Encoding.UTF8.GetBytes(text), "127.0.0.1", DateTimeOffset.UnixEpoch));
        Assert.Equal(("uuid:c9790c3a-701b-464d-a189-0060351c8ada", "127.0.0.1", "PREDATOR", "HD PREDATOR"),
            (device.Endpoint, device.IpAddress, device.Name, device.Hardware));
        Assert.Equal(new Uri("http://127.0.0.1:8000/onvif/device_service"), device.DeviceService);
        Assert.Contains(device.Types, t => t.EndsWith("NetworkVideoTransmitter", StringComparison.Ordinal));
        Assert.NotEmpty(device.Scopes);
    }

    [Fact]
    public void Junk_and_other_messages_are_no_devices()
    {
        Assert.Empty(WsDiscoveryMessages.ParseProbeMatches("not xml"u8, "127.0.0.1", DateTimeOffset.UnixEpoch));
        Assert.Empty(WsDiscoveryMessages.ParseProbeMatches(WsDiscoveryMessages.Probe(Guid.NewGuid()), "127.0.0.1", DateTimeOffset.UnixEpoch));
        Assert.Empty(WsDiscoveryMessages.ParseProbeMatches(
            "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>"u8, "127.0.0.1", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Cidrs_parse_and_list_their_hosts()
    {
        var cidr = Ipv4Cidr.Parse("192.0.2.77/30");
        Assert.Equal(["192.0.2.77", "192.0.2.78"], cidr.Hosts(10).Select(h => h.ToString()).ToArray());
        Assert.True(cidr.Contains(IPAddress.Parse("192.0.2.79")));
        Assert.False(cidr.Contains(IPAddress.Parse("192.0.2.80")));
        Assert.Equal(1024, Ipv4Cidr.Parse("10.0.0.0/16").Hosts(OnvifDiscovery.MaxUnicastHosts).Count());
        Assert.Equal(["192.0.2.5"], Ipv4Cidr.Parse("192.0.2.5/32").Hosts(10).Select(h => h.ToString()).ToArray());
        foreach (var bad in new[] { "auto", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/4", "::1/64", "x/24" })
        {
            Assert.False(Ipv4Cidr.TryParse(bad, out _), bad);
        }
    }
}
