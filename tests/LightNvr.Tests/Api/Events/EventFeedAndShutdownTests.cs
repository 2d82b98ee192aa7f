using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Api.Events;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Hosting;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Events;

/// <summary>The SSE feed (start/end messages, per-caller filtering), snapshots, and the detection tier's shutdown.</summary>
public sealed class EventFeedAndShutdownTests
{
    private static async Task<TestServerHost> StartAsync()
    {
        var host = await TestServerHost.StartAsync(full: true);
        var streams = host.Service<StreamStore>();
        await streams.InsertAsync(new StreamConfig { Name = "porch", Url = "rtsp://127.0.0.1:1/p", Enabled = false, Tags = "front", PostDetectionBuffer = 2 });
        await streams.InsertAsync(new StreamConfig { Name = "garage", Url = "rtsp://127.0.0.1:1/g", Enabled = false, Tags = "garage", PostDetectionBuffer = 2 });
        return host;
    }

    /// <summary>Reads SSE messages (event name, data) until <paramref name="count"/> have come.</summary>
    private static async Task<List<(string Event, JsonElement Data)>> ReadAsync(StreamReader reader, int count)
    {
        var messages = new List<(string, JsonElement)>();
        string? name = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (messages.Count < count)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                messages.Add((name!, JsonDocument.Parse(line[6..]).RootElement));
            }
        }
        return messages;
    }

    [Fact]
    public async Task The_feed_sends_start_and_end_of_the_callers_streams_only()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        var (hash, salt) = host.Service<PasswordHasher>().Hash("gina-password");
        await host.Service<UserStore>().InsertAsync(new UserRecord
        {
            Username = "gina", PasswordHash = hash, Salt = salt, Role = Role.Viewer, AllowedTags = "garage",
        });
        using var gina = await host.SessionClientAsync("gina", "gina-password");

        using var adminFeed = await admin.GetAsync("/api/events/feed", HttpCompletionOption.ResponseHeadersRead);
        using var ginaFeed = await gina.GetAsync("/api/events/feed", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", adminFeed.Content.Headers.ContentType!.MediaType);
        using var adminReader = new StreamReader(await adminFeed.Content.ReadAsStreamAsync());
        using var ginaReader = new StreamReader(await ginaFeed.Content.ReadAsStreamAsync());

        foreach (var stream in new[] { "porch", "garage" })
        {
            using var r = await admin.PostAsync("/api/motion/trigger", TestServerHost.Json($$"""{"stream":"{{stream}}","action":"pulse","duration_ms":1000}"""));
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }
        var started = await ReadAsync(adminReader, 2);
        Assert.Equal(["start", "start"], started.Select(m => m.Event));
        Assert.Equal(["porch", "garage"], started.Select(m => m.Data.GetProperty("stream").GetString()));
        Assert.True(started[0].Data.GetProperty("active").GetBoolean());

        await Task.Delay(100);
        host.Time.Advance(TimeSpan.FromSeconds(3));
        var ended = await ReadAsync(adminReader, 2);
        Assert.All(ended, m => Assert.Equal("end", m.Event));
        Assert.All(ended, m => Assert.False(m.Data.GetProperty("active").GetBoolean()));

        var limited = await ReadAsync(ginaReader, 2);
        Assert.Equal([("start", "garage"), ("end", "garage")], limited.Select(m => (m.Event, m.Data.GetProperty("stream").GetString()!)));
    }

    [Fact]
    public async Task The_feed_sends_a_heartbeat_every_15_seconds()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        using var feed = await admin.GetAsync("/api/events/feed?stream=porch", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(": connected", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
        var line = reader.ReadLineAsync(timeout.Token).AsTask();
        await Task.Delay(200);
        Assert.False(line.IsCompleted);
        host.Time.Advance(EventFeedEndpoints.HeartbeatInterval);
        Assert.Equal(": heartbeat", await line);
    }

    [Fact]
    public async Task A_client_that_falls_behind_is_dropped_and_the_others_keep_their_changes()
    {
        await using var host = await StartAsync();
        var feed = host.Service<EventFeed>();
        var baseline = feed.ClientCount;
        using var slow = feed.Connect(null, null)!;
        using var other = feed.Connect(null, "garage")!;
        var change = new EventChange(EventChangeKind.Update,
            new EventRecord { Id = 1, StreamName = "porch", Source = "motion", Label = "motion" }, ObservationSource.Motion);
        for (var i = 0; i <= EventFeed.MaxQueuedPerClient; i++)
        {
            feed.OnEvent(change);
        }
        Assert.Equal(1, feed.DroppedClients);
        Assert.Equal(baseline + 1, feed.ClientCount); // the slow one is gone; the garage-only one had nothing queued
        await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () =>
        {
            while (await slow.Queue.Reader.WaitToReadAsync())
            {
                slow.Queue.Reader.TryRead(out _);
            }
        });
        Assert.False(other.Queue.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Snapshots_are_served_from_the_snapshots_folder_only()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        var folder = Path.Combine(Path.GetFullPath(host.Config.Storage.Path), "snapshots", "porch");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "event_1.jpg"), [0xFF, 0xD8, 0xFF, 0xD9]);
        await File.WriteAllBytesAsync(Path.Combine(host.Config.Storage.Path, "secret.jpg"), [1, 2, 3]);

        using var ok = await admin.GetAsync("/api/snapshots/porch/event_1.jpg");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("image/jpeg", ok.Content.Headers.ContentType!.MediaType);
        Assert.Equal(4, (await ok.Content.ReadAsByteArrayAsync()).Length);
        using var missing = await admin.GetAsync("/api/snapshots/porch/nosuch.jpg");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var path in new[] { "/api/snapshots/porch/..%2F..%2Fsecret.jpg", "/api/snapshots/porch/event_1.png", "/api/snapshots/..%2Fporch/event_1.jpg" })
        {
            using var bad = await admin.GetAsync(path);
            Assert.True(bad.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{path}: {bad.StatusCode}");
            Assert.NotEqual(3, (await bad.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    [Fact]
    public async Task Shutdown_stops_the_detection_tier_first_and_closes_open_events()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        using var r = await admin.PostAsync("/api/motion/trigger", TestServerHost.Json("""{"stream":"porch","action":"start"}"""));
        await EventApiTests.WaitForAsync(admin, "/api/events", d => d.GetProperty("total").GetInt64() == 1);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(100);

        await host.Service<ShutdownCoordinator>().StopAllAsync();
        var row = Assert.Single((await host.Service<EventStore>().ListAsync(new EventQuery())).Events);
        Assert.NotNull(row.EndTime);
        Assert.Equal(row.StartTime + 30, row.EndTime); // the hold ran until the shutdown: the last moment known active
        Assert.Empty(host.Service<ShutdownCoordinator>().Overran);
    }
}
