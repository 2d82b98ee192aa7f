using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Storage;
using LightNvr.Testing;

namespace LightNvr.Tests.Storage;

/// <summary>
/// An export's sources across recorder nodes (docs/scale.md "Export across nodes"): local files and copies fetched
/// from other nodes merge in time order whatever order they arrive in, keyed for the ETag by node and id (not by the
/// random cache name), and the segments neither here nor fetched become spans, joined per node when consecutive.
/// The export cache hands out generated names under its folder, caps the bytes reserved at once, and deletes a
/// folder (returning its bytes) when it is disposed, and everything at start-up.
/// </summary>
public sealed class ExportSourcesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ExportSegment Segment(long id, string node, long start, string? local) => new(new RecordingRecord
    {
        Id = id, StreamName = "cam", FilePath = "/r/" + id, NodeId = node, IsComplete = true, SizeBytes = 1000,
        StartTime = DateTimeOffset.FromUnixTimeSeconds(start), EndTime = DateTimeOffset.FromUnixTimeSeconds(start + 6),
    }, local);

    [Fact]
    public void Local_and_fetched_segments_merge_in_time_order_and_the_rest_become_spans()
    {
        // Listed out of order on purpose: a, a (fetched), b local, b local, a (not fetched ×2), legacy row without file.
        var segments = new[]
        {
            Segment(5, "nodeb", 1024, "/s/b2"), Segment(1, "nodea", 1000, null), Segment(4, "nodeb", 1018, "/s/b1"),
            Segment(2, "nodea", 1006, null), Segment(6, "nodea", 1030, null), Segment(7, "nodea", 1036, null),
            Segment(8, "", 1042, null),
        };
        var fetched = new Dictionary<long, string> { [1] = "/cache/x/part-0001.tmp", [2] = "/cache/x/part-0002.tmp" };

        var (sources, keys, missing) = ExportSources.Merge(segments, fetched);

        Assert.Equal(["/cache/x/part-0001.tmp", "/cache/x/part-0002.tmp", "/s/b1", "/s/b2"], sources.Select(s => s.Path));
        Assert.Equal([1_000_000L, 1_006_000L, 1_018_000L, 1_024_000L], sources.Select(s => s.StartMs));
        Assert.Equal(["nodea#1", "nodea#2", "/s/b1", "/s/b2"], keys);
        Assert.Equal([new MissingSpan("nodea", 1030, 1042, 4), new MissingSpan("", 1042, 1048, 4)], missing);
        Assert.Equal("nodea:1030-1042, ?:1042-1048", ExportSources.Header(missing));
    }

    [Fact]
    public async Task A_file_found_here_is_read_in_place_whoever_wrote_it_and_only_a_missing_one_names_its_owner()
    {
        await using var f = await StorageFixture.CreateAsync(DatabaseEngine.Sqlite);
        var shared = await f.AddAsync("cam", TimeSpan.FromMinutes(10), node: "nodeb"); // b's row, file on this (shared) disk
        var remote = await f.AddAsync("cam", TimeSpan.FromMinutes(9), node: "nodeb");
        var legacy = await f.AddAsync("cam", TimeSpan.FromMinutes(8));
        var open = await f.AddAsync("cam", TimeSpan.FromMinutes(7), complete: false, node: "nodeb");
        foreach (var id in new[] { remote, legacy })
        {
            File.Delete((await f.Recordings.GetAsync(id))!.FilePath); // on another node's disk / gone
        }
        var now = f.Time.GetUtcNow();

        var segments = await new RecordingRangeExport(f.Recordings, f.Root).SegmentsAsync("cam", now.AddMinutes(-11), now, default);

        Assert.Equal([shared, remote, legacy], segments.Select(s => s.Row.Id)); // the open one is left out
        Assert.DoesNotContain(segments, s => s.Row.Id == open);
        Assert.NotNull(segments[0].LocalPath);
        Assert.Equal("", segments[0].Owner); // shared storage: nothing to fetch
        Assert.Equal("nodeb", segments[1].Owner);
        Assert.Equal("", segments[2].Owner); // from before the nodes: nobody to ask, a missing span
    }

    [Fact]
    public void Spans_of_one_node_are_not_joined_across_a_source_in_between()
    {
        var segments = new[] { Segment(1, "nodea", 1000, null), Segment(2, "nodeb", 1006, "/s/b"), Segment(3, "nodea", 1012, null) };

        var (_, _, missing) = ExportSources.Merge(segments, new Dictionary<long, string>());

        Assert.Equal(["nodea:1000-1006", "nodea:1012-1018"], missing.Select(m => ExportSources.Header([m])));
    }

    [Fact]
    public void The_header_lists_at_most_the_cap_and_counts_the_rest()
    {
        var segments = Enumerable.Range(0, ExportSources.MaxListedSpans + 3)
            .SelectMany(i => new[] { Segment((2 * i) + 1, "nodea", 1000 + (12 * i), null), Segment((2 * i) + 2, "nodeb", 1006 + (12 * i), "/s/" + i) })
            .ToList();

        var (_, _, missing) = ExportSources.Merge(segments, new Dictionary<long, string>());

        Assert.Equal(ExportSources.MaxListedSpans + 3, missing.Count);
        Assert.EndsWith(", +3 more", ExportSources.Header(missing), StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_caps_reservations_and_deletes_a_folder_when_it_is_disposed()
    {
        var cache = new ExportCache(new StorageRoot(new StorageOptions { Path = _folder.Path, Mp4Path = _folder.File("mp4") }));
        Assert.Equal(Path.Combine(_folder.Path, ".export-cache"), cache.Folder);
        var first = cache.TryCreate(600, limit: 1000)!;
        Assert.Null(cache.TryCreate(500, limit: 1000)); // would pass the cap while the first is held
        var file = first.NewFile();
        Assert.Equal(Path.Combine(first.Path, "part-0001.tmp"), file);
        Assert.StartsWith(cache.Folder + "/", first.Path, StringComparison.Ordinal);
        File.WriteAllBytes(file, [1, 2, 3]);

        first.Dispose();
        first.Dispose(); // twice: returned once

        Assert.False(Directory.Exists(first.Path));
        Assert.Equal(0, cache.Reserved);
        using var second = cache.TryCreate(1000, limit: 1000);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task Start_up_empties_the_cache()
    {
        var cache = new ExportCache(new StorageRoot(new StorageOptions { Path = _folder.Path, Mp4Path = _folder.File("mp4") }));
        var left = Path.Combine(cache.Folder, "0123abcd");
        Directory.CreateDirectory(left);
        await File.WriteAllBytesAsync(Path.Combine(left, "part-0001.tmp"), [1]); // as a crash leaves it

        await cache.StartAsync(default);

        Assert.False(Directory.Exists(cache.Folder));
    }
}
