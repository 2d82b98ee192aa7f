using System.Net;
using System.Text.Json;
using LightNvr.Api.Streams;
using LightNvr.Data;
using LightNvr.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Tests.Api;

public sealed class StreamApiTests
{
    /// <summary>Records the notifications (a stand-in for the streaming core, which does not exist yet).</summary>
    private sealed class RecordingListener : IStreamChangeListener
    {
        public List<string> Events { get; } = [];

        public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken)
        {
            Events.Add("added " + stream.Name);
            return Task.CompletedTask;
        }

        public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
        {
            Events.Add($"updated {after.Name} fps {before.Fps}->{after.Fps}");
            return Task.CompletedTask;
        }

        public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken)
        {
            Events.Add($"removed {stream.Name} permanent={permanent}");
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingListener : IStreamChangeListener
    {
        public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
        public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
        public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    private sealed class RunningStatus : IStreamStatusProvider
    {
        public StreamStatus GetStatus(string streamName) => new("Error", "camera unreachable");
    }

    [Fact]
    public async Task Create_get_update_delete_notifies_listeners()
    {
        var listener = new RecordingListener();
        await using var host = await TestServerHost.StartAsync(configureServices: s =>
        {
            s.AddSingleton<IStreamChangeListener>(new ThrowingListener());
            s.AddSingleton<IStreamChangeListener>(listener);
        });
        using var admin = await host.SessionClientAsync();

        using var created = await admin.PostAsync("/api/streams", TestServerHost.Json(
            """{"name":"front","url":"rtsp://cam/1","fps":15,"detection_threshold":42,"recording_schedule":[""" +
            string.Join(",", Enumerable.Range(0, 168).Select(i => i < 24 ? "false" : "true")) + "]}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("""{"success":true}""", await created.Content.ReadAsStringAsync());

        var stream = JsonDocument.Parse(await admin.GetStringAsync("/api/streams/front")).RootElement;
        Assert.Equal(15, stream.GetProperty("fps").GetInt32());
        Assert.Equal(42, stream.GetProperty("detection_threshold").GetInt32());
        Assert.Equal(0.42, (await host.Service<StreamStore>().GetAsync("front"))!.DetectionThreshold, 6);
        Assert.Equal(30, stream.GetProperty("segment_duration").GetInt32());
        Assert.Equal(-1, stream.GetProperty("retention_days").GetInt32());
        Assert.Equal("Unknown", stream.GetProperty("status").GetString());
        Assert.False(stream.GetProperty("recording_schedule")[0].GetBoolean());
        Assert.True(stream.GetProperty("recording_schedule")[167].GetBoolean());
        Assert.Equal(168, stream.GetProperty("recording_schedule").GetArrayLength());

        var list = JsonDocument.Parse(await admin.GetStringAsync("/api/streams")).RootElement;
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal("front", list[0].GetProperty("name").GetString());
        var full = JsonDocument.Parse(await admin.GetStringAsync("/api/streams/front/full")).RootElement;
        Assert.Equal("front", full.GetProperty("stream").GetProperty("name").GetString());

        using var update = await admin.PutAsync("/api/streams/front", TestServerHost.Json("""{"fps":25,"status":"ignored"}"""));
        Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
        Assert.Equal("""{"success":true,"message":"Stream update request accepted and processing"}""", await update.Content.ReadAsStringAsync());
        var after = (await host.Service<StreamStore>().GetAsync("front"))!;
        Assert.Equal(25, after.Fps);
        Assert.Equal(0.42, after.DetectionThreshold, 6); // untouched by the partial update

        using var privacy = await admin.PutAsync("/api/streams/front", TestServerHost.Json("""{"set_privacy_mode":true,"fps":1}"""));
        Assert.Equal("""{"success":true,"privacy_mode":true}""", await privacy.Content.ReadAsStringAsync());
        Assert.True((await host.Service<StreamStore>().GetAsync("front"))!.PrivacyMode);
        Assert.Equal(25, (await host.Service<StreamStore>().GetAsync("front"))!.Fps);

        using var retention = await admin.PutAsync("/api/streams/front/retention", TestServerHost.Json("""{"retention_days":14,"max_storage_mb":100}"""));
        Assert.Equal("""{"stream_name":"front","retention_days":14,"detection_retention_days":-1,"max_storage_mb":100,"message":"Retention config updated successfully"}""",
            await retention.Content.ReadAsStringAsync());
        Assert.Equal("""{"stream_name":"front","retention_days":14,"detection_retention_days":-1,"max_storage_mb":100}""",
            await admin.GetStringAsync("/api/streams/front/retention"));

        using var soft = await admin.DeleteAsync("/api/streams/front");
        Assert.Equal(HttpStatusCode.Accepted, soft.StatusCode);
        Assert.Equal("""{"success":true,"permanent":false,"status":"accepted"}""", await soft.Content.ReadAsStringAsync());
        Assert.False((await host.Service<StreamStore>().GetAsync("front"))!.Enabled);
        using var reenable = await admin.PutAsync("/api/streams/front", TestServerHost.Json("""{"enable_disabled":true}"""));
        Assert.True((await host.Service<StreamStore>().GetAsync("front"))!.Enabled);

        using var hard = await admin.DeleteAsync("/api/streams/front?permanent=true");
        Assert.Contains("\"permanent\":true", await hard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/streams/front")).StatusCode);

        Assert.Equal(
        [
            "added front", "updated front fps 15->25", "updated front fps 25->25", "updated front fps 25->25",
            "removed front permanent=False", "updated front fps 25->25", "removed front permanent=True",
        ], listener.Events);
    }

    [Fact]
    public async Task Viewer_sees_no_credentials()
    {
        await using var host = await TestServerHost.StartAsync(configureServices: s => s.AddSingleton<IStreamStatusProvider, RunningStatus>());
        await host.CreateUserAsync("victor", "victor-password", Role.Viewer);
        await host.Service<StreamStore>().InsertAsync(new StreamConfig
        {
            Name = "cam", Url = "rtsp://admin:secret@10.0.0.5:554/live?x=1", OnvifUsername = "ou", OnvifPassword = "op",
            AdminUrl = "http://10.0.0.5/", SubStreamUrl = "rtsp://admin:secret@10.0.0.5/sub", DetectionUrl = "http://det/",
            PublishUrl = "rtmp://yt/key", Go2rtcSourceOverride = "ffmpeg:rtsp://admin:secret@x",
        });
        using var viewer = host.BasicClient("victor", "victor-password");
        var text = await viewer.GetStringAsync("/api/streams/cam");
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        var v = JsonDocument.Parse(text).RootElement;
        Assert.Equal("rtsp://10.0.0.5:554/live?x=1", v.GetProperty("url").GetString());
        foreach (var field in new[] { "onvif_username", "onvif_password", "admin_url", "sub_stream_url", "detection_url", "publish_url", "go2rtc_source_override" })
        {
            Assert.Equal("", v.GetProperty(field).GetString());
        }
        Assert.False(v.GetProperty("can_control_privacy").GetBoolean());
        Assert.True(v.GetProperty("has_sub_stream").GetBoolean());
        Assert.Equal("Error", v.GetProperty("status").GetString());
        Assert.Equal("camera unreachable", v.GetProperty("error_message").GetString());
        Assert.DoesNotContain("secret", await viewer.GetStringAsync("/api/streams"), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", await viewer.GetStringAsync("/api/streams/cam/full"), StringComparison.Ordinal);

        using var admin = await host.SessionClientAsync();
        var a = JsonDocument.Parse(await admin.GetStringAsync("/api/streams/cam")).RootElement;
        Assert.Equal("rtsp://admin:secret@10.0.0.5:554/live?x=1", a.GetProperty("url").GetString());
        Assert.Equal("op", a.GetProperty("onvif_password").GetString());
        Assert.True(a.GetProperty("can_control_privacy").GetBoolean());
    }

    [Theory]
    [InlineData("rtsp://u:p@h/x", "rtsp://h/x")]
    [InlineData("rtsp://u:p@w@h:554", "rtsp://h:554")]
    [InlineData("rtsp://h/path@x", "rtsp://h/path@x")]
    [InlineData("http://h/", "http://h/")]
    [InlineData("u:p@h", "")]
    public void Strip_credentials(string url, string expected) =>
        Assert.Equal(expected, StreamJson.StripCredentials(url));

    [Fact]
    public async Task Max_streams_is_409()
    {
        await using var host = await TestServerHost.StartAsync(c => c with { Streams = c.Streams with { MaxStreams = 2 } });
        using var admin = await host.SessionClientAsync();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created,
                (await admin.PostAsync("/api/streams", TestServerHost.Json($$"""{"name":"c{{i}}","url":"rtsp://h/{{i}}"}"""))).StatusCode);
        }
        using var third = await admin.PostAsync("/api/streams", TestServerHost.Json("""{"name":"c3","url":"rtsp://h/3"}"""));
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Equal("""{"error":"Max streams limit reached (2/2)"}""", await third.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Allowed_tags_limit_which_streams_a_user_sees()
    {
        await using var host = await TestServerHost.StartAsync();
        var store = host.Service<StreamStore>();
        await store.InsertAsync(new StreamConfig { Name = "yard", Url = "rtsp://h/1", Tags = "outdoor" });
        await store.InsertAsync(new StreamConfig { Name = "hall", Url = "rtsp://h/2", Tags = "indoor" });
        using var admin = await host.SessionClientAsync();
        await admin.PostAsync("/api/auth/users", TestServerHost.Json(
            """{"username":"gardener","password":"gardener-pass","role":1,"allowed_tags":"outdoor"}"""));
        using var gardener = host.BasicClient("gardener", "gardener-pass");
        var list = JsonDocument.Parse(await gardener.GetStringAsync("/api/streams")).RootElement;
        Assert.Equal("yard", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
        using var denied = await gardener.GetAsync("/api/streams/hall");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("""{"error":"Stream access denied"}""", await denied.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await gardener.DeleteAsync("/api/streams/hall")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await gardener.PutAsync("/api/streams/yard", TestServerHost.Json("{}"))).StatusCode);
    }
}
