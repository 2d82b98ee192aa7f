using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Interop.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// Issue 11, hole 2, with real GStreamer cameras: a viewer limited to tag <c>garage</c> gets video of garage on every
/// live path and 403 for porch, including through an HLS session another user opened for porch.
/// </summary>
public sealed class StreamAccessTests
{
    private const string Gina = "gina", GinaPassword = "gina-password-1";

    [Fact]
    public async Task A_tag_limited_viewer_gets_only_its_streams_on_every_live_path()
    {
        using var porchCamera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        using var garageCamera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var server = await LiveHarness.StartAsync(
            LiveHarness.Stream("porch", porchCamera) with { Tags = "front" },
            LiveHarness.Stream("garage", garageCamera) with { Tags = "garage" });
        var (hash, salt) = server.App.Services.GetRequiredService<PasswordHasher>().Hash(GinaPassword);
        await server.App.Services.GetRequiredService<UserStore>().InsertAsync(new UserRecord
        {
            Username = Gina, PasswordHash = hash, Salt = salt, Role = Role.Viewer, AllowedTags = "garage",
        });
        await server.WaitRunningAsync("porch", TimeSpan.FromSeconds(20));
        await server.WaitRunningAsync("garage", TimeSpan.FromSeconds(20));

        using var gina = server.Client(withAuth: false);
        gina.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Gina}:{GinaPassword}")));
        foreach (var path in new[]
        {
            "/go2rtc/api/frame.jpeg?src={0}", "/go2rtc/api/stream.m3u8?src={0}", "/hls/{0}/index.m3u8",
            "/go2rtc/api/stream.mp4?src={0}&duration=1", "/go2rtc/api/streams?src={0}",
        })
        {
            using var denied = await gina.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "porch"),
                HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal("""{"error":"Stream access denied"}""", await denied.Content.ReadAsStringAsync());
            using var allowed = await gina.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "garage"),
                HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // go2rtc's listing leaves porch out.
        var list = JsonNode.Parse(await gina.GetStringAsync("/go2rtc/api/streams"))!.AsObject();
        Assert.Equal(["garage"], list.Select(p => p.Key));

        // An HLS session the admin opened for porch: its id does not let gina in.
        using var admin = server.Client();
        var master = await admin.GetStringAsync("/go2rtc/api/stream.m3u8?src=porch");
        var sessionPath = "/go2rtc/api/" + master.Split('\n').Single(l => l.StartsWith("hls/", StringComparison.Ordinal));
        Assert.Contains("#EXTINF", await admin.GetStringAsync(sessionPath), StringComparison.Ordinal);
        using var hijack = await gina.GetAsync(sessionPath);
        Assert.Equal(HttpStatusCode.Forbidden, hijack.StatusCode);
        using var hijackInit = await gina.GetAsync(sessionPath.Replace("playlist.m3u8", "init.mp4", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, hijackInit.StatusCode);

        // The MSE WebSocket: refused before the upgrade for porch, video for garage.
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", gina.DefaultRequestHeaders.Authorization!.ToString());
        var refused = await Assert.ThrowsAsync<WebSocketException>(() =>
            ws.ConnectAsync(new Uri($"ws://127.0.0.1:{server.BaseAddress.Port}/go2rtc/api/ws?src=porch"), CancellationToken.None));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        using var ok = new ClientWebSocket();
        ok.Options.SetRequestHeader("Authorization", gina.DefaultRequestHeaders.Authorization!.ToString());
        await ok.ConnectAsync(new Uri($"ws://127.0.0.1:{server.BaseAddress.Port}/go2rtc/api/ws?src=garage"), CancellationToken.None);
        await MseClient.SendRequestAsync(ok, "avc1.640029");
        Assert.Equal("mse", (await MseClient.ReceiveAsync(ok, TimeSpan.FromSeconds(15))).Type);
    }
}
