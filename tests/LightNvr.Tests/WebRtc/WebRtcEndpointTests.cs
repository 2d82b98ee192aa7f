using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Api.Go2rtc;
using LightNvr.Api.WebRtc;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Live;
using LightNvr.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Tests.WebRtc;

/// <summary>
/// The WebRTC signalling endpoints' refusals, before any camera is touched: unknown stream 404, bad SDP 400 with
/// the parser's message, an offer without H.264 415, WHEP DELETE of an unknown session 404, and /api/ice-servers
/// in upstream's shape without the TURN secret. (Playback itself: interop WebRtcBrowserTests with chromium.)
/// </summary>
public sealed class WebRtcEndpointTests
{
    private static readonly string OfferWithoutH264 =
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        "a=fingerprint:sha-256 " + "AB:" + string.Concat(Enumerable.Repeat("CD:", 30)) + "EF\r\n" +
        "a=setup:actpass\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n";

    [Fact]
    public async Task Bad_offers_are_refused_with_a_status_and_a_message()
    {
        await using var host = await TestServerHost.StartAsync(
            c => c with
            {
                Go2rtc = c.Go2rtc with
                {
                    TurnEnabled = true, TurnServerUrl = "turn:turn.example:3478", TurnUsername = "u", TurnPassword = "turn-secret",
                },
            },
            configureServices: s =>
            {
                s.AddSingleton<ShutdownCoordinator>();
                s.AddLightNvrCameras<RtspCameraSourceFactory>();
                s.AddLightNvrLive();
            },
            map: app =>
            {
                app.MapGo2rtcEndpoints();
                app.MapWebRtcEndpoints();
            });
        await host.CreateUserAsync("watcher", "watcher-password-1", Role.Viewer);
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        using var viewer = host.BasicClient("watcher", "watcher-password-1");
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.OK,
            (await admin.PutAsync("/go2rtc/api/streams?src=rtsp%3A%2F%2F127.0.0.1%3A9%2Fx&name=cam", null)).StatusCode);

        var unknown = await viewer.PostAsync("/go2rtc/api/webrtc?src=nope", Sdp(OfferWithoutH264));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/go2rtc/api/webrtc?src=cam", Sdp("v=0"))).StatusCode);

        var garbage = await viewer.PostAsync("/go2rtc/api/webrtc?src=cam", Sdp("hello"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("SDP", await garbage.Content.ReadAsStringAsync());

        var json = await viewer.PostAsync("/go2rtc/api/webrtc?src=cam",
            new StringContent("{\"type\":\"offer\",", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);

        var noIce = await viewer.PostAsync("/go2rtc/api/webrtc?src=cam",
            Sdp(OfferWithoutH264.Replace("a=ice-ufrag:abcd\r\n", "", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, noIce.StatusCode);
        Assert.Contains("ice-ufrag", await noIce.Content.ReadAsStringAsync());

        var vp8 = await viewer.PostAsync("/go2rtc/api/webrtc?src=cam", Sdp(OfferWithoutH264));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, vp8.StatusCode);
        Assert.Contains("H.264", await vp8.Content.ReadAsStringAsync());

        var vp8Json = await viewer.PostAsync("/go2rtc/api/webrtc?src=cam", new StringContent(
            new JsonObject { ["type"] = "offer", ["sdp"] = OfferWithoutH264 }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, vp8Json.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await viewer.DeleteAsync("/go2rtc/api/webrtc/session/nosuch")).StatusCode);

        var ice = JsonNode.Parse(await viewer.GetStringAsync("/api/ice-servers"))!;
        var servers = ice["ice_servers"]!.AsArray();
        Assert.Equal("stun:stun.l.google.com:19302", (string?)servers[0]!["urls"]![0]);
        Assert.Equal("turn:turn.example:3478", (string?)servers[1]!["urls"]![0]);
        Assert.Equal("u", (string?)servers[1]!["username"]);
        Assert.DoesNotContain("turn-secret", ice.ToJsonString()); // a viewer never gets the static password
        var operatorIce = JsonNode.Parse(await admin.GetStringAsync("/api/ice-servers"))!;
        Assert.Equal("turn-secret", (string?)operatorIce["ice_servers"]![1]!["credential"]);
    }

    [Fact]
    public async Task Ice_servers_give_every_role_a_time_limited_TURN_credential_and_never_the_secret()
    {
        await using var host = await TestServerHost.StartAsync(
            c => c with
            {
                Go2rtc = c.Go2rtc with
                {
                    TurnEnabled = true, TurnServerUrl = "turn:turn.example:3478", TurnUsername = "u",
                    TurnPassword = "static-pass", TurnAuthSecret = "shared-secret-1234",
                },
            },
            map: app => app.MapWebRtcEndpoints());
        await host.CreateUserAsync("watcher", "watcher-password-1", Role.Viewer);
        using var viewer = host.BasicClient("watcher", "watcher-password-1");
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);

        var now = host.Time.GetUtcNow();
        var text = await viewer.GetStringAsync("/api/ice-servers");
        Assert.DoesNotContain("shared-secret-1234", text);
        Assert.DoesNotContain("static-pass", text);
        var turn = JsonNode.Parse(text)!["ice_servers"]![1]!;
        var username = (string)turn["username"]!;
        Assert.Equal((now.ToUnixTimeSeconds() + 86400) + ":watcher", username);
        // What coturn computes for use-auth-secret (turn_server/ns_turn_server.c: HMAC-SHA1 of the username, base64).
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            Encoding.UTF8.GetBytes("shared-secret-1234"), Encoding.UTF8.GetBytes(username)));
        Assert.Equal(expected, (string?)turn["credential"]);

        var adminTurn = JsonNode.Parse(await admin.GetStringAsync("/api/ice-servers"))!["ice_servers"]![1]!;
        Assert.EndsWith(":" + TestServerHost.AdminUser, (string?)adminTurn["username"]);
        Assert.DoesNotContain("static-pass", adminTurn.ToJsonString()); // with a shared secret nobody gets the static one
    }

    private static StringContent Sdp(string text) => new(text, Encoding.UTF8, "application/sdp");
}
