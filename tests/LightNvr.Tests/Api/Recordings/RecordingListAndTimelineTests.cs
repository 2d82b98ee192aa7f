using System.Net;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Recordings;

/// <summary>The list's filters, sort and pagination; tags; timeline segments and play offsets; batch delete progress.</summary>
public sealed class RecordingListAndTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task List_filters_sort_and_paginate()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await host.AddAsync(i % 2 == 0 ? "cam1" : "cam2", T0.AddMinutes(i), new byte[10 + i],
                trigger: i == 5 ? "motion" : "scheduled"));
        }
        await host.AddAsync("cam1", T0.AddMinutes(10), new byte[5], complete: false);
        await host.Host.Service<RecordingStore>().SetProtectedAsync(ids[0], true);
        await host.Host.Service<RecordingTagStore>().SetAsync(ids[2], ["car", "night"]);
        using var client = host.As("viewer");

        async Task<(long[] Ids, JsonElement Pagination)> ListAsync(string query)
        {
            var doc = JsonDocument.Parse(await client.GetStringAsync("/api/recordings?" + query));
            return (doc.RootElement.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToArray(),
                doc.RootElement.GetProperty("pagination"));
        }

        var (all, p) = await ListAsync("");
        Assert.Equal(ids.AsEnumerable().Reverse(), all); // newest first, the open one not listed
        Assert.Equal(6, p.GetProperty("total").GetInt64());
        Assert.Equal([ids[0], ids[2], ids[4]], (await ListAsync("stream=cam1&order=asc")).Ids);
        Assert.Equal(6, (await ListAsync("stream=cam1,cam2")).Pagination.GetProperty("total").GetInt64());
        Assert.Equal([ids[1], ids[2], ids[3]], (await ListAsync(
            $"start={T0.AddMinutes(1).ToUnixTimeSeconds()}&end={Uri.EscapeDataString("2026-01-01T10:03:00Z")}&order=asc")).Ids);
        Assert.Equal([ids[5]], (await ListAsync("capture_method=motion")).Ids);
        Assert.Equal(5, (await ListAsync("capture_method=continuous")).Ids.Length);
        Assert.Equal([ids[0]], (await ListAsync("protected=1")).Ids);
        Assert.Equal([ids[2]], (await ListAsync("tag=car")).Ids);
        Assert.Equal([ids[5], ids[4]], (await ListAsync("sort=size_bytes&limit=2")).Ids);
        var (page2, p2) = await ListAsync("limit=4&page=2");
        Assert.Equal([ids[1], ids[0]], page2);
        Assert.Equal(2, p2.GetProperty("pages").GetInt64());
        var tags = JsonDocument.Parse(await client.GetStringAsync("/api/recordings?tag=car")).RootElement
            .GetProperty("recordings")[0].GetProperty("tags");
        Assert.Equal(["car", "night"], tags.EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Timeline_segments_and_play_with_offset()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        host.Host.Time.AdjustTime(T0.AddHours(1)); // back from the clock's 12:00 start: a wall-clock set
        var a = await host.AddAsync("cam1", T0, new byte[10]);
        var b = await host.AddAsync("cam1", T0.AddSeconds(60), new byte[10]);
        await host.AddAsync("cam2", T0, new byte[10]);
        using var client = host.As("viewer");

        var seg = JsonDocument.Parse(await client.GetStringAsync(
            $"/api/timeline/segments?stream=cam1&start={T0.AddMinutes(-5).ToUnixTimeSeconds()}&end=2026-01-01T10:30:00")).RootElement;
        Assert.Equal(2, seg.GetProperty("segment_count").GetInt32());
        Assert.Equal("2026-01-01 10:00:00", seg.GetProperty("segments")[0].GetProperty("start_time").GetString());
        Assert.Equal(T0.ToUnixTimeSeconds(), seg.GetProperty("segments")[0].GetProperty("start_timestamp").GetInt64());

        using var play = await client.GetAsync($"/api/timeline/play?stream=cam1&start={T0.AddSeconds(75).ToUnixTimeSeconds()}");
        Assert.Equal(HttpStatusCode.Redirect, play.StatusCode);
        Assert.Equal($"/api/recordings/play/{b}#t=15", play.Headers.Location!.OriginalString);
        Assert.Equal("15", play.Headers.GetValues("X-Playback-Offset").Single());
        using var iso = await client.GetAsync("/api/timeline/play?stream=cam1&start=2026-01-01T10:00:30Z");
        Assert.Equal($"/api/recordings/play/{a}#t=30", iso.Headers.Location!.OriginalString);
        using var none = await client.GetAsync("/api/timeline/play?stream=cam1&start=2025-01-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        using var bad = await client.GetAsync("/api/timeline/play?stream=cam1&start=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var byIds = JsonDocument.Parse(await client.GetStringAsync($"/api/timeline/segments-by-ids?ids={b},{a},x")).RootElement;
        Assert.Equal(2, byIds.GetProperty("segment_count").GetInt32());
        var manifest = await client.GetStringAsync("/api/timeline/manifest?stream=cam1&start=2026-01-01&end=2026-01-01");
        Assert.StartsWith("#EXTM3U", manifest, StringComparison.Ordinal);
        Assert.Contains($"/api/recordings/play/{b}", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_delete_runs_as_a_job_with_progress_and_skips_open_segments()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await host.AddAsync("cam1", T0.AddMinutes(i), new byte[10]));
        }
        var open = await host.AddAsync("cam1", T0.AddMinutes(9), new byte[10], complete: false);
        using var client = host.As("operator");
        using var start = await client.PostAsync("/api/recordings/batch-delete",
            TestServerHost.Json($$"""{"ids":[{{string.Join(",", ids)}},{{open}}]}"""));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var job = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetString();
        JsonElement progress = default;
        var deadline = Environment.TickCount64 + 30_000; // a bound for a loaded CI box, not a speed requirement
        while (Environment.TickCount64 < deadline)
        {
            progress = JsonDocument.Parse(await client.GetStringAsync($"/api/recordings/batch-delete/progress/{job}")).RootElement;
            if (progress.GetProperty("complete").GetBoolean())
            {
                break;
            }
            await Task.Delay(50);
        }
        Assert.Equal("complete", progress.GetProperty("status").GetString());
        Assert.Equal(6, progress.GetProperty("total").GetInt32());
        Assert.Equal(5, progress.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, progress.GetProperty("failed").GetInt32());
        var store = host.Host.Service<RecordingStore>();
        Assert.NotNull(await store.GetAsync(open));
        Assert.Null(await store.GetAsync(ids[0]));
        Assert.Single(Directory.EnumerateFiles(host.Mp4Path, "*.mp4", SearchOption.AllDirectories)); // the open one
    }
}
