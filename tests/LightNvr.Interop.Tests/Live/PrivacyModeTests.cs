using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Interop.Tests.Restream;
using LightNvr.Interop.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// Issue 17 item 4 with real GStreamer cameras: <c>streaming_enabled: false</c> set through the stream API ends the
/// MSE viewer already watching and refuses every live path (MSE WebSocket, progressive MP4, go2rtc HLS, LightNVR
/// HLS, frame.jpeg) of the stream and of its <c>NAME_sub</c>, for an admin and a viewer alike, with 403 and a message
/// naming privacy mode; RTSP restream (ffmpeg as the client) is refused with 403 with auth on and with auth off.
/// WebRTC signalling (<c>POST /go2rtc/api/webrtc</c>, go2rtc's JSON form and the raw-SDP WHEP form) answers an H.264
/// offer before and is refused the same way after. Turning it back on serves again.
/// </summary>
public sealed class PrivacyModeTests
{
    private static readonly string[] Paths =
    [
        "/go2rtc/api/frame.jpeg?src={0}", "/go2rtc/api/stream.m3u8?src={0}", "/hls/{0}/index.m3u8",
        "/go2rtc/api/stream.mp4?src={0}&duration=1",
    ];

    /// <summary>A browser-like recvonly H.264 offer (the answer needs no ICE to be made).</summary>
    private static readonly string H264Offer =
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        "a=fingerprint:sha-256 " + "AB:" + string.Concat(Enumerable.Repeat("CD:", 30)) + "EF\r\n" +
        "a=setup:actpass\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:102 H264/90000\r\n" +
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";

    [Fact]
    public async Task Privacy_mode_refuses_every_http_live_path_for_every_role_and_ends_current_viewers()
    {
        using var main = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        using var sub = GstCamera.Start(new GstCameraOptions { Audio = "none", Width = 320, Height = 180 });
        await using var server = await LiveHarness.StartServerAsync(new RtspCameraSourceFactory(TimeProvider.System),
            LiveHarness.Stream("cam", main, record: false) with { SubStreamUrl = sub.Url });
        var (hash, salt) = server.App.Services.GetRequiredService<PasswordHasher>().Hash("viewer-password-1");
        await server.App.Services.GetRequiredService<UserStore>().InsertAsync(new UserRecord
        {
            Username = "vera", PasswordHash = hash, Salt = salt, Role = Role.Viewer,
        });
        using var admin = server.Client();
        using var viewer = server.Client(withAuth: false);
        viewer.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("vera:viewer-password-1")));

        using (var whep = await viewer.PostAsync("/go2rtc/api/webrtc?src=cam_sub", Sdp(H264Offer)))
        {
            Assert.True(whep.StatusCode == HttpStatusCode.Created, await whep.Content.ReadAsStringAsync()); // served before
            Assert.Contains("m=video", await whep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var watching = await server.ConnectWsAsync("cam");
        await MseClient.SendRequestAsync(watching, "avc1.640029");
        Assert.Equal("mse", (await MseClient.ReceiveAsync(watching, TimeSpan.FromSeconds(20))).Type);

        using var off = await admin.PutAsJsonAsync("/api/streams/cam", new { streaming_enabled = false });
        Assert.True(off.IsSuccessStatusCode, await off.Content.ReadAsStringAsync());
        await AssertEndsAsync(watching);

        foreach (var client in new[] { admin, viewer })
        {
            foreach (var name in new[] { "cam", "cam_sub" })
            {
                foreach (var path in Paths)
                {
                    using var refused = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, name),
                        HttpCompletionOption.ResponseHeadersRead);
                    Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                    Assert.Contains("privacy mode", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                // WebRTC: go2rtc's JSON offer and the WHEP raw-SDP offer, refused before the offer is read.
                using var offerJson = await client.PostAsync($"/go2rtc/api/webrtc?src={name}", new StringContent(
                    System.Text.Json.JsonSerializer.Serialize(new { type = "offer", sdp = H264Offer }), Encoding.UTF8, "application/json"));
                using var offerWhep = await client.PostAsync($"/go2rtc/api/webrtc?src={name}", Sdp(H264Offer));
                foreach (var refused in new[] { offerJson, offerWhep })
                {
                    Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                    Assert.Contains("privacy mode", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                var ws = new ClientWebSocket();
                ws.Options.SetRequestHeader("Authorization", client.DefaultRequestHeaders.Authorization!.ToString());
                var error = await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(
                    new Uri($"ws://127.0.0.1:{server.BaseAddress.Port}/go2rtc/api/ws?src={name}"), CancellationToken.None));
                Assert.Contains("403", error.Message, StringComparison.Ordinal);
                ws.Dispose();
            }
        }

        using var on = await admin.PutAsJsonAsync("/api/streams/cam", new { streaming_enabled = true });
        Assert.True(on.IsSuccessStatusCode);
        using var jpeg = await viewer.GetAsync("/go2rtc/api/frame.jpeg?src=cam_sub");
        Assert.Equal(HttpStatusCode.OK, jpeg.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Privacy_mode_refuses_rtsp_restream(bool authEnabled)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var h = await RestreamHarness.StartAsync(authEnabled,
            streams: new StreamConfig { Name = "cam", Url = camera.Url, Record = false });
        var url = authEnabled ? h.Url("cam", RestreamHarness.Admin, RestreamHarness.AdminPassword) : h.Url("cam");
        var (exit, errors) = await MediaTool.FfmpegReadAsync(url, "tcp", 1);
        Assert.True(exit == 0, errors);

        var before = (await h.Streams.GetAsync("cam"))!;
        var after = before with { StreamingEnabled = false };
        await h.Streams.UpdateAsync(after);
        await h.Cameras.OnStreamUpdatedAsync(before, after, CancellationToken.None);
        (exit, errors) = await MediaTool.FfmpegReadAsync(url, "tcp", 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("403", errors, StringComparison.Ordinal);
    }

    private static StringContent Sdp(string sdp) => new(sdp, Encoding.UTF8, "application/sdp");

    private static async Task AssertEndsAsync(ClientWebSocket ws)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, timeout.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // closed without a handshake: ended as well
        }
        Assert.False(timeout.IsCancellationRequested, "the MSE viewer kept receiving after privacy mode was set");
    }
}
