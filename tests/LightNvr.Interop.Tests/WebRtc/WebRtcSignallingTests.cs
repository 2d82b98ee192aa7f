using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// Signalling rules with live sessions on a GStreamer camera with an ONVIF PCMU backchannel (offers written here; no
/// ICE needed for the answers): two-way audio — a viewer account's microphone is answered <c>a=sendonly</c>, one talker
/// per stream (a second Operator's offer gets <c>a=sendonly</c> and the reason, until the first session ends); the
/// WHEP session resource — OPTIONS, PATCH trickle (RFC 9725 §4.3.1: 204, 415, 412, 422 for an ICE restart), DELETE
/// of a JSON-path session through its Location.
/// </summary>
public sealed class WebRtcSignallingTests
{
    private static string Offer(string ufrag, string audioDirection) =>
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" +
        $"m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:{ufrag}\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        "a=fingerprint:sha-256 " + "AB:" + string.Concat(Enumerable.Repeat("CD:", 30)) + "EF\r\n" +
        "a=setup:actpass\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:102 H264/90000\r\n" +
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n" +
        $"a={audioDirection}\r\na=rtcp-mux\r\na=rtpmap:0 PCMU/8000\r\n";

    [Fact]
    public async Task One_talker_per_stream_viewers_never_talk_and_the_WHEP_resource_follows_RFC_9725()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Backchannel = "pcmu" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera) with { BackchannelEnabled = true });
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var (hash, salt) = server.App.Services.GetRequiredService<PasswordHasher>().Hash("viewer-password-1");
        await server.App.Services.GetRequiredService<UserStore>().InsertAsync(new UserRecord
        {
            Username = "vera", PasswordHash = hash, Salt = salt, Role = Role.Viewer,
        });
        using var admin = server.Client();
        using var viewer = server.Client(withAuth: false);
        viewer.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("vera:viewer-password-1")));

        // A viewer account offering its microphone: the audio is answered sendonly, and it takes no talk slot.
        var (viewerAnswer, viewerLocation, _) = await WhepAsync(viewer, Offer("view", "sendrecv"));
        Assert.Equal("sendonly", AudioDirection(viewerAnswer));

        // The first Operator holds the stream's two-way audio; a second one is answered without it, with the reason.
        var (first, firstLocation, firstEtag) = await WhepAsync(admin, Offer("one1", "sendrecv"));
        Assert.Equal("sendrecv", AudioDirection(first));
        using (var second = await admin.PostAsync("/go2rtc/api/webrtc?src=cam", new StringContent(
            new JsonObject { ["type"] = "offer", ["sdp"] = Offer("two2", "sendrecv") }.ToJsonString(), Encoding.UTF8, "application/json")))
        {
            var json = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal("sendonly", AudioDirection((string)json["sdp"]!));
            Assert.Equal("another viewer of this stream is using two-way audio", (string?)json["talk_refused"]);
            // The JSON path's session is a resource too: its Location ends it.
            var location = second.Headers.Location!.ToString();
            Assert.StartsWith("/go2rtc/api/webrtc/session/", location);
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync(location)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(location)).StatusCode);
        }

        // WHEP resource: OPTIONS on the endpoint and the session.
        using (var options = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/go2rtc/api/webrtc")))
        {
            Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
            Assert.Contains("POST", options.Content.Headers.Allow);
        }

        using (var options = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Options, firstLocation)))
        {
            Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
            Assert.Contains("PATCH", options.Content.Headers.Allow);
            Assert.Equal("application/trickle-ice-sdpfrag", string.Join(",", options.Headers.GetValues("Accept-Patch")));
        }

        // PATCH trickle: candidates 204 (discarded: ICE-lite), wrong type 415, stale If-Match 412, new ufrag 422.
        const string Candidates = "a=ice-ufrag:one1\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n" +
            "a=candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host\r\na=end-of-candidates\r\n";
        Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(admin, firstLocation, Candidates, firstEtag)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(admin, firstLocation, Candidates, null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await PatchAsync(admin, firstLocation, Candidates, firstEtag, "application/sdp")).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PatchAsync(admin, firstLocation, Candidates, "\"stale\"")).StatusCode);
        var restart = await PatchAsync(admin, firstLocation, Candidates.Replace("ice-ufrag:one1", "ice-ufrag:new9", StringComparison.Ordinal), "*");
        Assert.Equal((HttpStatusCode)422, restart.StatusCode);
        Assert.Contains("ICE restart", await restart.Content.ReadAsStringAsync());

        // The talker leaves: the next Operator gets the microphone.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync(firstLocation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(admin, firstLocation, Candidates, null)).StatusCode);
        var (third, thirdLocation, _) = await WhepAsync(admin, Offer("thr3", "sendrecv"));
        Assert.Equal("sendrecv", AudioDirection(third));
        await admin.DeleteAsync(thirdLocation);
        await viewer.DeleteAsync(viewerLocation);
    }

    private static async Task<(string Answer, string Location, string ETag)> WhepAsync(HttpClient client, string offer)
    {
        using var response = await client.PostAsync("/go2rtc/api/webrtc?src=cam", new StringContent(offer, Encoding.UTF8, "application/sdp"));
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, answer);
        return (answer, response.Headers.Location!.ToString(), response.Headers.ETag!.ToString());
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string location, string fragment, string? ifMatch,
        string type = "application/trickle-ice-sdpfrag")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StringContent(fragment, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The direction attribute of the answer's audio section.</summary>
    private static string AudioDirection(string answer)
    {
        var audio = answer[answer.IndexOf("m=audio", StringComparison.Ordinal)..];
        foreach (var direction in new[] { "sendrecv", "sendonly", "recvonly", "inactive" })
        {
            if (audio.Contains("a=" + direction, StringComparison.Ordinal))
            {
                return direction;
            }
        }

        return "";
    }
}
