using System.Net;
using System.Net.NetworkInformation;
using LightNvr.Config;
using LightNvr.Integrations.Webhooks;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>The self-target rule: the NVR's own web port on loopback, its bind address or (bound to all) any local address.</summary>
public sealed class WebhookTargetsTests
{
    private static WebhookTargets Targets(string bind = "0.0.0.0", int port = 8080)
    {
        return new WebhookTargets(ConfigSection<WebOptions>.Fixed(new WebOptions { BindIp = bind, Port = port }));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("http://127.0.0.2:8080/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("http://LOCALHOST:8080/", true)]
    [InlineData("http://nvr.localhost:8080/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://[::ffff:127.0.0.1]:8080/", true)]
    [InlineData("http://0.0.0.0:8080/", true)]
    [InlineData("http://127.0.0.1:8081/", false)] // another service on this machine is a legitimate receiver
    [InlineData("http://localhost/", false)]
    [InlineData("http://192.0.2.10:8080/", false)] // another machine's 8080
    [InlineData("http://homeassistant.lan:8123/api/webhook/abc", false)] // names are checked at connect time
    public void Urls_that_name_the_own_api_are_refused(string url, bool refused)
    {
        Assert.Equal(refused, Targets().Problem(new Uri(url)) is not null);
    }

    [Fact]
    public void Bound_to_all_interfaces_every_local_address_on_the_web_port_is_the_own_api()
    {
        var local = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address).First(a => !IPAddress.IsLoopback(a));

        Assert.True(Targets().IsOwnApi(local, 8080));
        Assert.False(Targets().IsOwnApi(local, 9090));
        Assert.False(Targets(bind: "127.0.0.1").IsOwnApi(local, 8080)); // bound to loopback only: that address is not the NVR
        Assert.True(Targets(bind: "127.0.0.1").IsOwnApi(IPAddress.Loopback, 8080));
        Assert.True(Targets(bind: "192.0.2.7").IsOwnApi(IPAddress.Parse("192.0.2.7"), 8080));
        Assert.False(Targets(bind: "192.0.2.7").IsOwnApi(IPAddress.Parse("192.0.2.8"), 8080));
    }

    [Theory]
    [InlineData("http://127.0.0.1:54321", "127.0.0.1", 54321)]
    [InlineData("http://[::]:80", "::", 80)]
    [InlineData("http://+:8080", "0.0.0.0", 8080)]
    [InlineData("https://*:443/", "0.0.0.0", 443)]
    [InlineData("http://localhost:5000", "127.0.0.1", 5000)]
    public void Kestrel_addresses_are_read_for_the_ports_it_really_listens_on(string text, string address, int port)
    {
        Assert.Equal((IPAddress.Parse(address), port), WebhookTargets.ParseListen(text));
    }
}
