using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using LightNvr.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LightNvr.Tests.Security;

/// <summary>
/// Every route the whole server maps, called as no one, a viewer, a viewer limited to tag <c>garage</c>, a user, an API
/// key (role api) and an admin, against <see cref="Table"/>: what each may do. A route without a row fails the test, so
/// a new endpoint cannot land without someone deciding who may call it. Stream-naming routes are called for stream
/// <c>porch</c> (not tagged garage: the limited viewer must get 403) and again for <c>garage</c> (it must get in).
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    /// <summary>The identities, in the order of each row's expectation string.</summary>
    public static readonly string[] Identities = ["anonymous", "viewer", "tagviewer", "user", "api", "admin"];

    /// <summary>
    /// One route: its key (methods|pattern), a concrete request, and per identity A (allowed: any status but 401, 403
    /// and 429), U (401) or F (403). <paramref name="Garage"/>: the same request for the garage stream or its recording,
    /// which the tag-limited viewer must be allowed when a plain viewer is. <paramref name="Fresh"/>: sent from a new
    /// client without credentials for every identity (logout would end the matrix's own sessions).
    /// </summary>
    public sealed record Row(string Key, string Method, string Path, string? Body, string Expected, string? Garage = null,
        bool Fresh = false);

    // Recording 1 belongs to porch, recording 2 to garage (made by the fixture).
    public static readonly Row[] Table =
    [
        new("GET|/api/health", "GET", "/api/health", null, "AAAAAA"),
        new("GET|/api/health/hls", "GET", "/api/health/hls", null, "AAAAAA"),
        new("GET|/api/metrics", "GET", "/api/metrics", null, "UAAAAA"),
        new("GET|/api/system/", "GET", "/api/system", null, "UFFFFA"),
        new("GET|/api/system/info", "GET", "/api/system/info", null, "UFFFFA"),
        new("GET|/api/system/status", "GET", "/api/system/status", null, "AAAAAA"),
        new("GET|/api/system/logs", "GET", "/api/system/logs", null, "UFFFFA"),
        new("POST|/api/system/logs/clear", "POST", "/api/system/logs/clear", null, "UFFFFA"),
        new("POST|/api/system/backup", "POST", "/api/system/backup", null, "UFFFFA"),
        new("POST|/api/system/restart", "POST", "/api/system/restart", null, "UFFFFA"),
        new("POST|/api/system/restore", "POST", "/api/system/restore", null, "UFFFFA"),
        new("GET|/api/system/restore", "GET", "/api/system/restore", null, "UFFFFA"),
        new("DELETE|/api/system/restore", "DELETE", "/api/system/restore", null, "UFFFFA"),
        new("POST|/api/system/shutdown", "POST", "/api/system/shutdown", null, "UFFFFA"),
        new("GET|/api/setup/status", "GET", "/api/setup/status", null, "AAAAAA"),
        new("POST|/api/setup/status", "POST", "/api/setup/status", """{"complete":true}""", "UFFFFA"),
        new("GET|/api/settings", "GET", "/api/settings", null, "UAAAAA"),
        new("GET|/api/settings/schema", "GET", "/api/settings/schema", null, "UAAAAA"),
        new("POST|/api/settings", "POST", "/api/settings", "{}", "UFFFFA"),
        new("GET|/api/auth/login/config", "GET", "/api/auth/login/config", null, "AAAAAA"),
        new("POST|/api/auth/login", "POST", "/api/auth/login", "{}", "AAAAAA"),
        new("POST|/api/auth/login/totp", "POST", "/api/auth/login/totp", "{}", "AAAAAA"),
        new("POST|/api/auth/logout", "POST", "/api/auth/logout", null, "AAAAAA", Fresh: true),
        new("GET|/logout", "GET", "/logout", null, "AAAAAA", Fresh: true),
        new("GET|/api/auth/verify", "GET", "/api/auth/verify", null, "UAAAAA"),
        new("POST|/api/auth/login-lockout/clear", "POST", "/api/auth/login-lockout/clear", """{"address":"192.0.2.1"}""", "UFFFFA"),
        new("GET|/api/auth/sessions", "GET", "/api/auth/sessions", null, "UAAAAA"),
        new("DELETE|/api/auth/sessions/{id}", "DELETE", "/api/auth/sessions/999999", null, "UAAAAA"),
        new("GET|/api/auth/users/", "GET", "/api/auth/users", null, "UFFFFA"),
        new("POST|/api/auth/users/", "POST", "/api/auth/users", "{}", "UFFFFA"),
        new("GET|/api/auth/users/{id}", "GET", "/api/auth/users/1", null, "UFFFFA"),
        new("PUT|/api/auth/users/{id}", "PUT", "/api/auth/users/1", "{}", "UFFFFA"),
        new("DELETE|/api/auth/users/{id}", "DELETE", "/api/auth/users/999999", null, "UFFFFA"),
        new("POST|/api/auth/users/{id}/api-key", "POST", "/api/auth/users/999999/api-key", null, "UFFFFA"),
        new("PUT|/api/auth/users/{id}/password", "PUT", "/api/auth/users/1/password", "{}", "UFFFFA"),
        new("PUT|/api/auth/users/{id}/password-lock", "PUT", "/api/auth/users/1/password-lock", "{}", "UFFFFA"),
        new("POST|/api/auth/users/{id}/login-lockout/clear", "POST", "/api/auth/users/1/login-lockout/clear", null, "UFFFFA"),
        new("POST|/api/auth/users/{id}/totp/setup", "POST", "/api/auth/users/999999/totp/setup", null, "UFFFFA"),
        new("POST|/api/auth/users/{id}/totp/verify", "POST", "/api/auth/users/999999/totp/verify", "{}", "UFFFFA"),
        new("POST|/api/auth/users/{id}/totp/disable", "POST", "/api/auth/users/999999/totp/disable", "{}", "UFFFFA"),
        new("GET|/api/auth/users/{id}/totp/status", "GET", "/api/auth/users/999999/totp/status", null, "UFFFFA"),
        new("GET|/api/auth/trusted-devices", "GET", "/api/auth/trusted-devices", null, "UAAAAA"),
        new("DELETE|/api/auth/trusted-devices/{id}", "DELETE", "/api/auth/trusted-devices/999999", null, "UAAAAA"),
        new("GET|/api/streams/", "GET", "/api/streams", null, "UAAAAA"),
        new("POST|/api/streams/", "POST", "/api/streams", "{}", "UFFAAA"),
        new("POST|/api/streams/test", "POST", "/api/streams/test", "{}", "UFFAAA"),
        new("GET|/api/streams/{name}", "GET", "/api/streams/porch", null, "UAFAAA", "/api/streams/garage"),
        new("GET|/api/streams/{name}/full", "GET", "/api/streams/porch/full", null, "UAFAAA", "/api/streams/garage/full"),
        new("PUT|/api/streams/{name}", "PUT", "/api/streams/porch", "{}", "UFFAAA"),
        new("DELETE|/api/streams/{name}", "DELETE", "/api/streams/no-such-stream", null, "UFFAAA"),
        new("GET|/api/streams/{name}/retention", "GET", "/api/streams/porch/retention", null, "UAFAAA", "/api/streams/garage/retention"),
        new("PUT|/api/streams/{name}/retention", "PUT", "/api/streams/porch/retention", "{}", "UFFAAA"),
        new("GET|/api/streams/{name}/recording", "GET", "/api/streams/porch/recording", null, "UAFAAA",
            "/api/streams/garage/recording"),
        new("POST|/api/streams/{name}/recording", "POST", "/api/streams/porch/recording", """{"action":"stop"}""", "UFFAAA"),
        new("POST|/api/streams/{name}/refresh", "POST", "/api/streams/porch/refresh", null, "UFFAAA"),
        new("GET|/api/streams/{name}/zones", "GET", "/api/streams/porch/zones", null, "UAFAAA", "/api/streams/garage/zones"),
        new("POST|/api/streams/{name}/zones", "POST", "/api/streams/porch/zones", "{}", "UFFAAA"),
        new("DELETE|/api/streams/{name}/zones", "DELETE", "/api/streams/porch/zones", null, "UFFAAA"),
        new("GET|/api/recordings", "GET", "/api/recordings", null, "UAAAAA"),
        new("GET|/api/recordings/{id}", "GET", "/api/recordings/1", null, "UAFAAA", "/api/recordings/2"),
        new("GET|/api/recordings/play/{id}", "GET", "/api/recordings/play/1", null, "UAFAAA", "/api/recordings/play/2"),
        new("GET|/api/recordings/download/{id}", "GET", "/api/recordings/download/1", null, "UAFAAA", "/api/recordings/download/2"),
        new("GET|/api/recordings/thumbnail/{id}/{index}", "GET", "/api/recordings/thumbnail/1/0", null, "UAFAAA",
            "/api/recordings/thumbnail/2/0"),
        new("GET|/api/recordings/tags", "GET", "/api/recordings/tags", null, "UAAAAA"),
        new("GET|/api/recordings/detection-labels", "GET", "/api/recordings/detection-labels", null, "UAAAAA"),
        new("GET|/api/recordings/{id}/tags", "GET", "/api/recordings/1/tags", null, "UAFAAA", "/api/recordings/2/tags"),
        new("PUT|/api/recordings/{id}/tags", "PUT", "/api/recordings/1/tags", """{"tags":["x"]}""", "UFFAAA"),
        new("POST|/api/recordings/batch-tags", "POST", "/api/recordings/batch-tags", "{}", "UFFAAA"),
        new("DELETE|/api/recordings/{id}", "DELETE", "/api/recordings/999999", null, "UFFAAA"),
        new("PUT|/api/recordings/{id}/protect", "PUT", "/api/recordings/1/protect", """{"protected":false}""", "UFFAAA"),
        new("PUT|/api/recordings/{id}/retention", "PUT", "/api/recordings/1/retention", "{}", "UFFAAA"),
        new("POST|/api/recordings/batch-protect", "POST", "/api/recordings/batch-protect", "{}", "UFFAAA"),
        new("GET|/api/recordings/protected", "GET", "/api/recordings/protected?stream=porch", null, "UAFAAA",
            "/api/recordings/protected?stream=garage"),
        new("POST|/api/recordings/batch-delete", "POST", "/api/recordings/batch-delete", "{}", "UFFAAA"),
        new("GET|/api/recordings/batch-delete/progress/{job}", "GET", "/api/recordings/batch-delete/progress/nosuch", null, "UFFAAA"),
        new("POST|/api/recordings/batch-download", "POST", "/api/recordings/batch-download", "{}", "UAAAAA"),
        new("GET|/api/recordings/batch-download/status/{token}", "GET", "/api/recordings/batch-download/status/nosuch", null, "UAAAAA"),
        new("GET|/api/recordings/batch-download/result/{token}", "GET", "/api/recordings/batch-download/result/nosuch", null, "UAAAAA"),
        new("GET|/api/recordings/export", "GET", "/api/recordings/export?stream=porch&start=1&end=2", null, "UAFAAA",
            "/api/recordings/export?stream=garage&start=1&end=2"),
        new("GET|/api/recordings/files/check", "GET", "/api/recordings/files/check?path={storage}/none.mp4", null, "UFFFFA"),
        new("DELETE|/api/recordings/files", "DELETE", "/api/recordings/files?path={storage}/none.mp4", null, "UFFFFA"),
        new("POST|/api/recordings/sync", "POST", "/api/recordings/sync", null, "UFFFFA"),
        new("GET|/api/timeline/segments", "GET", "/api/timeline/segments?stream=porch", null, "UAFAAA",
            "/api/timeline/segments?stream=garage"),
        new("GET|/api/timeline/segments-by-ids", "GET", "/api/timeline/segments-by-ids?ids=1", null, "UAAAAA"),
        new("GET|/api/timeline/manifest", "GET", "/api/timeline/manifest?stream=porch", null, "UAFAAA",
            "/api/timeline/manifest?stream=garage"),
        new("GET|/api/timeline/play", "GET", "/api/timeline/play?stream=porch", null, "UAFAAA", "/api/timeline/play?stream=garage"),
        new("GET|/api/storage/health", "GET", "/api/storage/health", null, "UAAAAA"),
        new("POST|/api/storage/cleanup", "POST", "/api/storage/cleanup", null, "UFFFFA"),
        new("GET|/go2rtc/api/streams", "GET", "/go2rtc/api/streams?src=porch", null, "UAFAAA", "/go2rtc/api/streams?src=garage"),
        new("PUT|/go2rtc/api/streams", "PUT", "/go2rtc/api/streams?src=ftp://x&name=adhoc", null, "UFFFFA"),
        new("DELETE|/go2rtc/api/streams", "DELETE", "/go2rtc/api/streams?src=no-such-source", null, "UFFFFA"),
        new("GET|/go2rtc/api/ws", "GET", "/go2rtc/api/ws?src=porch", null, "UAFAAA", "/go2rtc/api/ws?src=garage"),
        new("POST|/go2rtc/api/webrtc", "POST", "/go2rtc/api/webrtc?src=porch", "not sdp", "UAFAAA", "/go2rtc/api/webrtc?src=garage"),
        new("DELETE|/go2rtc/api/webrtc/session/{id}", "DELETE", "/go2rtc/api/webrtc/session/nosuch", null, "UAAAAA"),
        new("PATCH|/go2rtc/api/webrtc/session/{id}", "PATCH", "/go2rtc/api/webrtc/session/nosuch", null, "UAAAAA"),
        new("OPTIONS|/go2rtc/api/webrtc", "OPTIONS", "/go2rtc/api/webrtc", null, "UAAAAA"),
        new("OPTIONS|/go2rtc/api/webrtc/session/{id}", "OPTIONS", "/go2rtc/api/webrtc/session/nosuch", null, "UAAAAA"),
        new("GET|/api/ice-servers", "GET", "/api/ice-servers", null, "UAAAAA"),
        new("GET|/go2rtc/api/frame.jpeg", "GET", "/go2rtc/api/frame.jpeg?src=porch", null, "UAFAAA", "/go2rtc/api/frame.jpeg?src=garage"),
        new("GET|/go2rtc/api/stream.mp4", "GET", "/go2rtc/api/stream.mp4?src=porch", null, "UAFAAA", "/go2rtc/api/stream.mp4?src=garage"),
        new("GET|/go2rtc/api/stream.m3u8", "GET", "/go2rtc/api/stream.m3u8?src=porch", null, "UAFAAA", "/go2rtc/api/stream.m3u8?src=garage"),
        new("GET|/go2rtc/api/hls/playlist.m3u8", "GET", "/go2rtc/api/hls/playlist.m3u8?id=nosuch", null, "UAAAAA"),
        new("GET|/go2rtc/api/hls/init.mp4", "GET", "/go2rtc/api/hls/init.mp4?id=nosuch", null, "UAAAAA"),
        new("GET|/go2rtc/api/hls/segment.m4s", "GET", "/go2rtc/api/hls/segment.m4s?id=nosuch&n=0", null, "UAAAAA"),
        new("GET|/hls/{stream}/index.m3u8", "GET", "/hls/porch/index.m3u8", null, "UAFAAA", "/hls/garage/index.m3u8"),
        new("GET|/hls/{stream}/init.mp4", "GET", "/hls/porch/init.mp4", null, "UAFAAA", "/hls/garage/init.mp4"),
        new("GET|/hls/{stream}/{sequence:long}.m4s", "GET", "/hls/porch/1.m4s", null, "UAFAAA", "/hls/garage/1.m4s"),
        new("GET|/api/events", "GET", "/api/events?stream=porch", null, "UAFAAA", "/api/events?stream=garage"),
        new("GET|/api/events/{id}", "GET", "/api/events/1", null, "UAFAAA", "/api/events/2"),
        new("GET|/api/events/feed", "GET", "/api/events/feed?stream=porch", null, "UAFAAA", "/api/events/feed?stream=garage"),
        new("GET|/api/detection/results/{stream}", "GET", "/api/detection/results/porch", null, "UAFAAA",
            "/api/detection/results/garage"),
        new("GET|/api/snapshots/{stream}/{file}", "GET", "/api/snapshots/porch/none.jpg", null, "UAFAAA",
            "/api/snapshots/garage/none.jpg"),
        new("GET|/api/detection/models", "GET", "/api/detection/models", null, "UAAAAA"),
        // PTZ: porch has ptz_enabled off, so the allowed calls answer 400 without contacting a camera.
        new("GET|/api/streams/{name}/ptz/capabilities", "GET", "/api/streams/porch/ptz/capabilities", null, "UAFAAA", "/api/streams/garage/ptz/capabilities"),
        new("GET|/api/streams/{name}/ptz/presets", "GET", "/api/streams/porch/ptz/presets", null, "UAFAAA", "/api/streams/garage/ptz/presets"),
        new("POST|/api/streams/{name}/ptz/move", "POST", "/api/streams/porch/ptz/move", "{}", "UFFAAA"),
        new("POST|/api/streams/{name}/ptz/stop", "POST", "/api/streams/porch/ptz/stop", null, "UFFAAA"),
        new("POST|/api/streams/{name}/ptz/absolute", "POST", "/api/streams/porch/ptz/absolute", "{}", "UFFAAA"),
        new("POST|/api/streams/{name}/ptz/relative", "POST", "/api/streams/porch/ptz/relative", "{}", "UFFAAA"),
        new("POST|/api/streams/{name}/ptz/home", "POST", "/api/streams/porch/ptz/home", null, "UFFAAA"),
        new("POST|/api/streams/{name}/ptz/set-home", "POST", "/api/streams/porch/ptz/set-home", null, "UFFAAA"),
        new("POST|/api/streams/{name}/ptz/goto-preset", "POST", "/api/streams/porch/ptz/goto-preset", "{}", "UFFAAA"),
        new("PUT|/api/streams/{name}/ptz/preset", "PUT", "/api/streams/porch/ptz/preset", "{}", "UFFAAA"),
        // Imaging: porch is not an ONVIF stream, so the allowed calls answer 400 without contacting a camera.
        new("GET|/api/streams/{name}/imaging/settings", "GET", "/api/streams/porch/imaging/settings", null, "UAFAAA", "/api/streams/garage/imaging/settings"),
        new("GET|/api/streams/{name}/imaging/options", "GET", "/api/streams/porch/imaging/options", null, "UAFAAA", "/api/streams/garage/imaging/options"),
        new("GET|/api/streams/{name}/daynight", "GET", "/api/streams/porch/daynight", null, "UAFAAA", "/api/streams/garage/daynight"),
        new("PUT|/api/streams/{name}/imaging/settings", "PUT", "/api/streams/porch/imaging/settings", "{}", "UFFAAA"),
        new("PUT|/api/streams/{name}/daynight", "PUT", "/api/streams/porch/daynight", "{}", "UFFAAA"),
        // Cameras push here without logging in: the unguessable per-subscription token is the credential (404 otherwise).
        new("POST|/api/onvif/notify/{token}", "POST", "/api/onvif/notify/00000000000000000000000000000000", "{}", "AAAAAA"),
        new("GET|/api/onvif/discovery/status", "GET", "/api/onvif/discovery/status", null, "UFFAAA"),
        new("GET|/api/onvif/devices", "GET", "/api/onvif/devices", null, "UFFAAA"),
        new("POST|/api/onvif/discovery/discover", "POST", "/api/onvif/discovery/discover", """{"network":"not-a-cidr"}""", "UFFAAA"),
        new("GET|/api/onvif/device/profiles", "GET", "/api/onvif/device/profiles", null, "UFFAAA"),
        new("POST|/api/onvif/device/test", "POST", "/api/onvif/device/test", "{}", "UFFAAA"),
        new("POST|/api/onvif/device/add", "POST", "/api/onvif/device/add", "{}", "UFFAAA"),
        new("POST|/api/motion/trigger", "POST", "/api/motion/trigger", """{"stream":"porch","action":"stop"}""", "UFFAAA"),
        new("GET|/api/webhooks/", "GET", "/api/webhooks", null, "UFFFFA"),
        new("POST|/api/webhooks/", "POST", "/api/webhooks", "{}", "UFFFFA"),
        new("GET|/api/webhooks/{id}", "GET", "/api/webhooks/999999", null, "UFFFFA"),
        new("PUT|/api/webhooks/{id}", "PUT", "/api/webhooks/999999", "{}", "UFFFFA"),
        new("DELETE|/api/webhooks/{id}", "DELETE", "/api/webhooks/999999", null, "UFFFFA"),
        new("POST|/api/webhooks/{id}/test", "POST", "/api/webhooks/999999/test", null, "UFFFFA"),
        new("GET|/api/webhooks/{id}/deliveries", "GET", "/api/webhooks/999999/deliveries", null, "UFFFFA"),
        new("GET,HEAD|/{**path}", "GET", "/index.html", null, "AAAAAA"),
        new("*|/{**path}", "POST", "/no/such/path", null, "AAAAAA"),
    ];

    public sealed class Fixture : IAsyncLifetime
    {
        public TestServerHost Host { get; private set; } = null!;

        /// <summary>The storage folder of the fixture's server.</summary>
        public string StoragePath => Host.Config.Storage.Path;
        public Dictionary<string, HttpClient> Clients { get; } = [];

        public async Task InitializeAsync()
        {
            // The whole server as Program.cs composes it. One stand-in: HostControl gets a lifetime that only records stop
            // requests, so the matrix can call restart and shutdown as an admin without stopping the test host.
            Host = await TestServerHost.StartAsync(full: true, configure: c =>
            {
                var root = Path.Combine(c.Storage.Path, "..", "www");
                Directory.CreateDirectory(root);
                File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>LightNVR</title>");
                return c with { Web = c.Web with { Root = root } };
            }, configureServices: s => s.AddSingleton(new HostControl(new StopRecorder(), NullLogger<HostControl>.Instance)));
            var users = Host.Service<UserStore>();
            var hasher = Host.Service<PasswordHasher>();
            async Task<long> AddUser(string name, Role role, string? tags = null)
            {
                var (hash, salt) = hasher.Hash(name + "-password");
                return (await users.InsertAsync(new UserRecord
                {
                    Username = name, PasswordHash = hash, Salt = salt, Role = role, AllowedTags = tags,
                }))!.Value;
            }
            await AddUser("victor", Role.Viewer);
            await AddUser("gina", Role.Viewer, "garage");
            await AddUser("alice", Role.User);
            await users.SetApiKeyHashAsync(await AddUser("robot", Role.Api), SecretTokens.Hash("robot-api-key-0123456789abcdef01"));

            // Disabled: the live routes answer at once (404) instead of waiting for a camera; access is decided before.
            var streams = Host.Service<StreamStore>();
            await streams.InsertAsync(new StreamConfig { Name = "porch", Url = "rtsp://127.0.0.1:1/porch", Enabled = false, Tags = "front" });
            await streams.InsertAsync(new StreamConfig { Name = "garage", Url = "rtsp://127.0.0.1:1/garage", Enabled = false, Tags = "garage" });
            var recordings = Host.Service<RecordingStore>();
            var start = DateTimeOffset.UtcNow.AddHours(-1); // recent: retention must not sweep the rows away
            foreach (var stream in new[] { "porch", "garage" })
            {
                Directory.CreateDirectory(StoragePath);
                await File.WriteAllBytesAsync(Path.Combine(StoragePath, $"{stream}.mp4"), new byte[1000]);
                var id = await recordings.InsertOpenAsync(new RecordingRecord
                {
                    StreamName = stream, FilePath = Path.Combine(StoragePath, $"{stream}.mp4"), StartTime = start,
                });
                await recordings.UpdateProgressAsync(id, 1000, start.AddSeconds(60), isComplete: true);
            }

            Assert.NotNull(await recordings.GetAsync(1));
            // Event 1 on porch, event 2 on garage: the tag-limited viewer may read only the second.
            var events = Host.Service<EventStore>();
            foreach (var stream in new[] { "porch", "garage" })
            {
                await events.InsertAsync(new EventRecord
                {
                    StreamName = stream, Source = "motion", Label = "motion", StartTime = start.ToUnixTimeSeconds(),
                    EndTime = start.ToUnixTimeSeconds() + 5, LastSeen = start.ToUnixTimeSeconds() + 5,
                });
            }
            Clients["anonymous"] = Client();
            Clients["viewer"] = await SessionAsync("victor");
            Clients["tagviewer"] = await SessionAsync("gina");
            var alice = Client();
            alice.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:alice-password")));
            Clients["user"] = alice;
            var api = Client();
            api.DefaultRequestHeaders.Add("X-API-Key", "robot-api-key-0123456789abcdef01");
            Clients["api"] = api;
            Clients["admin"] = await SessionAsync(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        }

        public HttpClient Client() =>
            new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            {
                BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30),
            };

        private async Task<HttpClient> SessionAsync(string user, string? password = null)
        {
            var client = Client();
            using var response = await client.PostAsync("/api/auth/login",
                TestServerHost.Json($$"""{"username":"{{user}}","password":"{{password ?? user + "-password"}}"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return client;
        }

        public async Task DisposeAsync()
        {
            foreach (var client in Clients.Values)
            {
                client.Dispose();
            }
            await Host.DisposeAsync();
        }
    }

    /// <summary>The test's stand-in lifetime for <see cref="HostControl"/>: records that a stop was asked, never stops the host.</summary>
    private sealed class StopRecorder : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public int StopRequests { get; private set; }
        public void StopApplication() => StopRequests++;
    }

    private IReadOnlyList<RouteEndpoint> MappedRoutes() =>
        fixture.Host.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();

    private static string KeyOf(RouteEndpoint e) =>
        (e.Metadata.GetMetadata<HttpMethodMetadata>() is { } m ? string.Join(',', m.HttpMethods) : "*") + "|" + e.RoutePattern.RawText;

    [Fact]
    public void Every_mapped_route_has_a_row_and_a_stream_scope()
    {
        var routes = MappedRoutes();
        var keys = Table.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var covered = routes.Count(r => keys.Contains(KeyOf(r)));
        output.WriteLine($"authorization matrix: {covered} of {routes.Count} mapped routes covered ({100.0 * covered / routes.Count:0.#} %)");
        Assert.True(covered == routes.Count,
            "routes without a row in AuthorizationMatrixTests.Table: " + string.Join(", ", routes.Select(KeyOf).Where(k => !keys.Contains(k))));
        Assert.Empty(Table.Select(r => r.Key).Except(routes.Select(KeyOf)));
        Assert.Empty(routes.Where(r => r.Metadata.GetMetadata<StreamScope>() is null).Select(KeyOf));
    }

    public static TheoryData<string> Keys() => [.. Table.Select(r => r.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Every_identity_against_every_route(string key)
    {
        var row = Table.Single(r => r.Key == key);
        for (var i = 0; i < Identities.Length; i++)
        {
            var status = await SendAsync(row, row.Path, Identities[i]);
            Assert.True(Matches(row.Expected[i], status.Code), $"{row.Method} {row.Path} as {Identities[i]}: {status.Code} {status.Body}");
        }
        if (row.Garage is not null)
        {
            var viewer = await SendAsync(row, row.Garage, "viewer");
            var limited = await SendAsync(row, row.Garage, "tagviewer");
            Assert.True(Matches('A', viewer.Code), $"{row.Garage} as viewer: {viewer.Code} {viewer.Body}");
            Assert.True(Matches('A', limited.Code), $"{row.Garage} as tagviewer: {limited.Code} {limited.Body}");
        }
    }

    private static bool Matches(char expected, int status) => expected switch
    {
        'A' => status is not (401 or 403 or 429),
        'U' => status == 401,
        'F' => status == 403,
        _ => false,
    };

    private async Task<(int Code, string Body)> SendAsync(Row row, string path, string identity)
    {
        path = path.Replace("{storage}", Uri.EscapeDataString(fixture.StoragePath), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (row.Body is not null)
        {
            request.Content = TestServerHost.Json(row.Body);
        }
        using var fresh = row.Fresh ? fixture.Client() : null;
        var client = fresh ?? fixture.Clients[identity];
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var code = (int)response.StatusCode;
        var body = code is 401 or 403 ? await response.Content.ReadAsStringAsync() : "";
        if (code is 401 or 403)
        {
            Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()), body);
        }
        return (code, body);
    }
}
