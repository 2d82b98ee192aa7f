using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>
/// Issue 17 items 2 and 4 through the whole server's HTTP API with a real GStreamer camera: a manual recording of a
/// stream that does not record continuously produces a file ffprobe plays, listed with capture_method manual; a stream
/// with continuous recording in effect refuses manual start with upstream's 409; deleting the stream with
/// delete_recordings=true removes its recordings as a batch job whose progress reaches complete; a refresh reconnects
/// a camera and a second refresh within 30 s is coalesced.
/// </summary>
public sealed class ManualRecordingInteropTests
{
    [Fact]
    public async Task Manual_recording_makes_a_playable_manual_file_and_stream_delete_removes_it_as_a_job()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var server = await LiveHarness.StartServerAsync(new RtspCameraSourceFactory(TimeProvider.System),
            LiveHarness.Stream("cam", camera, record: false), LiveHarness.Stream("always", camera, record: true));
        using var client = server.Client();

        // Refresh (upstream's shape): reconnects the camera in the background; a second one within 30 s is coalesced.
        await server.WaitRunningAsync("always", TimeSpan.FromSeconds(20));
        server.Cameras.TryGet("always", out var before);
        using var refresh = await client.PostAsync("/api/streams/always/refresh", null);
        Assert.Equal(HttpStatusCode.Accepted, refresh.StatusCode);
        Assert.Null((await refresh.Content.ReadFromJsonAsync<JsonObject>())!["coalesced"]);
        using var coalesced = await client.PostAsync("/api/streams/always/refresh", null);
        var twice = (await coalesced.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)twice["coalesced"]!);
        Assert.InRange((int)twice["retry_after_seconds"]!, 1, 30);
        var until = Environment.TickCount64 + 10_000;
        while (!server.Cameras.TryGet("always", out var now) || ReferenceEquals(now, before))
        {
            Assert.True(Environment.TickCount64 < until, "refresh did not reconnect the camera");
            await Task.Delay(100);
        }
        await server.WaitRunningAsync("always", TimeSpan.FromSeconds(20));

        var idle = await client.GetFromJsonAsync<JsonObject>("/api/streams/cam/recording");
        Assert.Equal("idle", (string?)idle!["state"]);
        Assert.True((bool)idle["manual_control_allowed"]!);

        using var refused = await client.PostAsJsonAsync("/api/streams/always/recording", new { action = "start" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Continuous recording is configured", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var bad = await client.PostAsJsonAsync("/api/streams/cam/recording", new { action = "pause" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var start = await client.PostAsJsonAsync("/api/streams/cam/recording", new { action = "start" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var deadline = Environment.TickCount64 + 20_000;
        JsonObject state;
        do
        {
            Assert.True(Environment.TickCount64 < deadline, "manual recording did not start");
            await Task.Delay(200);
            state = (await client.GetFromJsonAsync<JsonObject>("/api/streams/cam/recording"))!;
        }
        while ((string?)state["state"] != "recording");
        Assert.Equal("manual", (string?)state["capture_method"]);
        Assert.NotNull(state["recording_id"]);
        await Task.Delay(3000);
        using var stop = await client.PostAsJsonAsync("/api/streams/cam/recording", new { action = "stop" });
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        using var again = await client.PostAsJsonAsync("/api/streams/cam/recording", new { action = "stop" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var list = (await client.GetFromJsonAsync<JsonObject>("/api/recordings?stream=cam"))!;
        var recording = Assert.Single(list["recordings"]!.AsArray())!;
        Assert.Equal("manual", (string?)recording["capture_method"]);
        var path = (string)recording["file_path"]!;
        var streams = RecordingChecks.Streams(path);
        Assert.Contains(streams, s => s.Type == "video" && s.Codec == "h264" && s.Duration >= 2.5);
        var row = await server.App.Services.GetRequiredService<RecordingStore>().GetAsync((long)recording["id"]!);
        Assert.Equal("manual", row!.TriggerType);

        using var delete = await client.DeleteAsync("/api/streams/cam?permanent=true&delete_recordings=true");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        var reply = (await delete.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1, (int)reply["delete_recordings_total"]!);
        var job = (string)reply["delete_recordings_job"]!;
        JsonObject progress;
        deadline = Environment.TickCount64 + 10_000;
        do
        {
            Assert.True(Environment.TickCount64 < deadline, "delete job did not finish");
            await Task.Delay(100);
            progress = (await client.GetFromJsonAsync<JsonObject>($"/api/recordings/batch-delete/progress/{job}"))!;
        }
        while ((bool?)progress["complete"] != true);
        Assert.False(File.Exists(path));
        Assert.Null(await server.App.Services.GetRequiredService<RecordingStore>().GetAsync((long)recording["id"]!));
        Assert.Equal("complete", (string?)progress["status"]);
        Assert.Equal(1, (int)progress["succeeded"]!);
    }
}
