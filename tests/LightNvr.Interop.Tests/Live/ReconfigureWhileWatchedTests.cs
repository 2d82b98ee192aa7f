using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Data;
using LightNvr.Interop.Tests.Robustness;
using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Recording;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// Issue 12, item 6: changing a recorded stream's recorder settings through <c>PUT /api/streams/{name}</c> while
/// headless chromium watches it over MSE reconfigures the recorder only. A GStreamer camera (1 s GOP) feeds the whole
/// server (Program.cs's composition); the viewer's WebSocket stays open (one open, no close), its video keeps
/// advancing across the change, the server opened one camera connection in all (source runs counted by the factory,
/// attempts by the supervisor, same hub), and the recording continues with the new settings.
/// </summary>
public sealed class ReconfigureWhileWatchedTests(ITestOutputHelper output)
{
    /// <summary>How long the viewer watches; the change comes <see cref="ChangeAfter"/> after its WebSocket opened.</summary>
    private const int WatchSeconds = 12;

    private static readonly TimeSpan ChangeAfter = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Segment_duration_change_keeps_the_viewer_playing_and_the_next_segment_has_the_new_length()
    {
        await WatchAndChangeAsync("""{"segment_duration":10}""", recordAudio: false, async (server, put) =>
        {
            // The segment open at the change ended at the first keyframe after it (row times can sit up to a GOP off
            // the wall clock), long before its 30 s; the next one starts right there and is 10 s of media (1 s GOP).
            var next = await WaitForRowAsync(server, put, r => Near(r.StartTime, put) && Math.Abs(Length(r) - 10) < 0.5);
            var rows = await RowsAsync(server);
            var cut = rows.LastOrDefault(r => r.StartTime < next.StartTime);
            Assert.True(cut is not null && cut.EndTime == next.StartTime, Describe(put, rows));
            Assert.True(Length(cut) < 29, $"the segment open at the change ran {Length(cut)} s");
        });
    }

    [Fact]
    public async Task Record_audio_change_keeps_the_viewer_playing_and_the_next_segment_is_video_only()
    {
        await WatchAndChangeAsync("""{"record_audio":false}""", recordAudio: true, async (server, put) =>
        {
            var before = await WaitForRowAsync(server, put, r => r.EndTime is { } end && Near(end, put));
            Assert.Equal(2, Fmp4Reader.Read(before.FilePath).Tracks.Count);
            await Task.Delay(2000);
            await server.Cameras.StopAllAsync(CancellationToken.None); // finishes the segment that followed
            var rows = await RowsAsync(server);
            var after = rows.FirstOrDefault(r => r.StartTime > before.StartTime);
            Assert.True(after is not null && after.StartTime == before.EndTime, Describe(put, rows));
            Assert.Single(Fmp4Reader.Read(after.FilePath).Tracks);
        });
    }

    /// <summary>
    /// Starts the camera and server, plays the stream in chromium, sends the PUT mid-play, checks the viewer and the
    /// connection count, then hands the running server and the PUT's time to <paramref name="then"/>.
    /// </summary>
    private async Task WatchAndChangeAsync(string body, bool recordAudio, Func<LiveHarness, DateTimeOffset, Task> then)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac", Fps = 15, Gop = 15 });
        var sources = new CountingSourceFactory();
        await using var server = await LiveHarness.StartServerAsync(sources,
            new StreamConfig { Name = "cam", Url = camera.Url, Record = true, RecordAudio = recordAudio, SegmentDuration = 30 });
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        Assert.True(server.Cameras.TryGet("cam", out var running));

        var play = BrowserPlaybackTests.PlayAsync(server, "cam", "mse", WatchSeconds);
        await WaitAsync(() => running.Hub.SubscriberCount >= 2, TimeSpan.FromSeconds(30), "the viewer subscribed"); // recorder + MSE
        await Task.Delay(ChangeAfter);
        using var client = server.Client();
        var put = DateTimeOffset.UtcNow;
        using (var response = await client.PutAsync("/api/streams/cam", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var putDone = DateTimeOffset.UtcNow;
        var result = await play;
        output.WriteLine($"PUT at {put.ToUnixTimeMilliseconds()}, answered at {putDone.ToUnixTimeMilliseconds()}");
        output.WriteLine(result.ToJsonString());

        Assert.Null((string?)result["error"]);
        Assert.Null((string?)result["closed"]); // the WebSocket was never closed
        Assert.Equal(1, (int)result["opens"]!); // nor opened again
        AssertPlayedAcross(result, putDone);

        Assert.True(server.Cameras.TryGet("cam", out var now));
        Assert.Same(running, now);
        Assert.Equal(1, now.Supervisor.Attempts);
        Assert.Single(sources.Runs["cam"]);
        Assert.Equal("Running", server.Cameras.GetStatus("cam").State);
        await then(server, put);
    }

    /// <summary>currentTime advanced with real time from a second after the change to the end (no stall, no restart).</summary>
    private static void AssertPlayedAcross(JsonNode result, DateTimeOffset change)
    {
        var from = change.ToUnixTimeMilliseconds() + 1000;
        var after = result["timeline"]!.AsArray().Select(p => ((long)p![0]!, (double)p[1]!)).Where(p => p.Item1 >= from).ToList();
        Assert.True(after.Count >= 20, $"{after.Count} samples after the change");
        var wall = (after[^1].Item1 - after[0].Item1) / 1000.0;
        var media = after[^1].Item2 - after[0].Item2;
        Assert.True(media > wall * 0.8, $"played {media:F2} s of video in {wall:F2} s after the change");
        for (var i = 4; i < after.Count; i++)
        {
            Assert.True(after[i].Item2 > after[i - 4].Item2, $"video stalled around {after[i].Item1 - from} ms after the change");
        }
    }

    /// <summary>Within a keyframe interval (1 s) plus scheduling of the change (row times follow media time).</summary>
    private static bool Near(DateTimeOffset t, DateTimeOffset change) => Math.Abs((t - change).TotalSeconds) < 2.5;

    private static string Describe(DateTimeOffset put, IReadOnlyList<RecordingRecord> rows) =>
        "rows relative to the PUT: " + string.Join("; ", rows.Select(r =>
            $"{(r.StartTime - put).TotalSeconds:F3}..{(r.EndTime - put)?.TotalSeconds:F3}"));

    private static double Length(RecordingRecord r) => (r.EndTime!.Value - r.StartTime).TotalSeconds;

    private static async Task<IReadOnlyList<RecordingRecord>> RowsAsync(LiveHarness server)
    {
        var store = server.App.Services.GetRequiredService<RecordingStore>();
        var page = await store.ListAsync(new RecordingQuery { StreamName = "cam", Ascending = true, PageSize = 100 });
        return page.Items;
    }

    private static async Task<RecordingRecord> WaitForRowAsync(LiveHarness server, DateTimeOffset put,
        Func<RecordingRecord, bool> match)
    {
        RecordingRecord? found = null;
        IReadOnlyList<RecordingRecord> rows = [];
        await WaitAsync(() => (found = (rows = RowsAsync(server).Result).FirstOrDefault(match)) is not null,
            TimeSpan.FromSeconds(25), () => "the expected segment; " + Describe(put, rows));
        return found!;
    }

    private static Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitAsync(condition, timeout, () => what);

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what()}");
            await Task.Delay(100);
        }
    }
}
