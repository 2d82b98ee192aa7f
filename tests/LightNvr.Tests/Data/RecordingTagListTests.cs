using LightNvr.Data;
using LightNvr.Data.Migrations;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LightNvr.Tests.Data;

/// <summary>
/// The tag-filtered list (M0006: tag rows carry copies of the recording's stream, start and visibility, totals come
/// from recording_tag_counts) against a reference computed here from the base facts only (recordings rows and
/// (recording_id, tag) pairs read with plain SQL): same rows, same order, same totals, before and after every kind of
/// change a running server makes.
/// </summary>
public class RecordingTagListTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.MigratedAsync(Engine, _folder.File("tags.db"), _time);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The engine this class's tests run on; <see cref="PostgresRecordingTagListTests"/> runs them on PostgreSQL.</summary>
    protected virtual DatabaseEngine Engine => TestDatabases.Default;

    [Fact]
    public async Task Tag_filtered_lists_match_the_reference_through_every_change()
    {
        var store = new RecordingStore(_db, _time);
        var tags = new RecordingTagStore(_db, _time);
        var ids = await SeedAsync(store, tags, 240);
        await AssertListsMatchAsync(store, "seeded");

        // Tags added and removed in batches, and replaced on one recording.
        await tags.BatchAsync(ids.Where((_, i) => i % 5 == 0).ToList(), ["car", "night"], ["person"]);
        await AssertListsMatchAsync(store, "batch add/remove");
        await tags.SetAsync(ids[7], ["dog"]);
        await tags.SetAsync(ids[8], []);
        await AssertListsMatchAsync(store, "set");

        // A recording deleted (its tags go by cascade) and one marked for deletion (hidden at once).
        Assert.True(await store.DeleteAsync(ids[10]));
        Assert.True(await store.DeleteAsync(ids[15]));
        Assert.True(await store.MarkDeletingAsync(ids[20]));
        Assert.True(await store.MarkDeletingAsync(ids[25]));
        await AssertListsMatchAsync(store, "deleted and marked");

        // Open segments tagged while recording, then progress (not listed yet), then completed (listed).
        var open = (await store.ListIncompleteAsync()).Select(r => r.Id).ToList();
        Assert.NotEmpty(open);
        await tags.BatchAsync(open, ["car"], []);
        foreach (var id in open)
        {
            Assert.True(await store.UpdateProgressAsync(id, 1234, null, isComplete: false));
        }
        await AssertListsMatchAsync(store, "open tagged");
        foreach (var id in open.Take(open.Count / 2))
        {
            Assert.True(await store.CompleteAsync(id, T0.AddDays(30), 5678, 1280, 720, 15, "h264"));
        }
        await AssertListsMatchAsync(store, "completed");

        // Protection changes only the recording row (the protected filter reads it there).
        await store.SetProtectedAsync(ids[30], true);
        await store.SetProtectedAsync(ids[31], true);
        await AssertListsMatchAsync(store, "protected");

        // A recording moved to another stream and to another start (repair tools do this) carries its tags along.
        await ExecuteAsync($"UPDATE recordings SET stream_name = 'cam9', start_time = start_time + 7 WHERE id IN ({ids[40]}, {ids[45]})");
        await AssertListsMatchAsync(store, "moved");
    }

    [Fact]
    public async Task Migration_copies_columns_of_tags_written_before_it()
    {
        if (Engine != DatabaseEngine.Sqlite)
        {
            return; // upgrading a file written before M0006 is SQLite's path; PostgreSQL databases start at the full schema
        }
        var path = _folder.File("old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Foreign Keys=True"))
        {
            await connection.OpenAsync();
            await new MigrationRunner(MigrationCatalog.All.Where(m => m.Version <= 5).ToList(), _time).RunAsync(connection, path, default);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO recordings (id, stream_name, file_path, start_time, end_time, is_complete, deleting) VALUES
                    (1, 'a', '/r/1.mp4', 100, 160, 1, 0), (2, 'a', '/r/2.mp4', 200, 260, 1, 0), (3, 'b', '/r/3.mp4', 300, 360, 1, 0),
                    (4, 'b', '/r/4.mp4', 400, NULL, 0, 0), (5, 'b', '/r/5.mp4', 500, 560, 1, 1);
                INSERT INTO recording_tags (recording_id, tag) VALUES (1, 'car'), (2, 'car'), (3, 'car'), (3, 'dog'), (4, 'car'), (5, 'car');
                """;
            await insert.ExecuteNonQueryAsync();
        }
        var db = new Database(path);
        var result = await db.MigrateAsync(_time);
        Assert.Equal(MigrationCatalog.All.Where(m => m.Version > 5).Select(m => m.Version), result.Applied); // 6 and any later one

        var store = new RecordingStore(db, _time);
        var car = await store.ListAsync(new RecordingQuery { Tags = ["car"] });
        Assert.Equal(3, car.Total);
        Assert.Equal([3L, 2, 1], car.Items.Select(r => r.Id));
        var carB = await store.ListAsync(new RecordingQuery { Tags = ["car"], Streams = ["b"] });
        Assert.Equal(1, carB.Total);
        Assert.Equal([3L], carB.Items.Select(r => r.Id));

        // The open one is listed once it completes; the counts follow.
        Assert.True(await store.CompleteAsync(4, DateTimeOffset.FromUnixTimeSeconds(460), 1, 1, 1, 1, "h264"));
        Assert.Equal(2, (await store.ListAsync(new RecordingQuery { Tags = ["car"], Streams = ["b"] })).Total);
        _db = db;
        await AssertListsMatchAsync(store, "after migration");
    }

    private static async Task<List<long>> SeedAsync(RecordingStore store, RecordingTagStore tags, int count)
    {
        var random = new Random(7);
        var ids = new List<long>();
        string[] names = ["car", "person", "dog"];
        for (var i = 0; i < count; i++)
        {
            var start = T0.AddMinutes(i / 3 * 5);
            var id = await store.InsertOpenAsync(new RecordingRecord
            {
                StreamName = "cam" + (i % 3), FilePath = $"/rec/{i}.mp4", StartTime = start, SizeBytes = random.Next(1000),
                Codec = "h264", TriggerType = random.Next(4) == 0 ? "motion" : "scheduled", Protected = random.Next(6) == 0,
            });
            ids.Add(id);
            if (random.Next(10) != 0) // a tenth stay open
            {
                Assert.True(await store.CompleteAsync(id, start.AddMinutes(5), random.Next(1_000_000), 1280, 720, 15, "h264"));
            }
            var chosen = names.Where(_ => random.Next(3) == 0).ToList();
            if (chosen.Count > 0)
            {
                await tags.SetAsync(id, chosen);
            }
        }
        return ids;
    }

    /// <summary>Every combination of tag, stream, time, other filters, sort and page against the reference.</summary>
    private async Task AssertListsMatchAsync(RecordingStore store, string step)
    {
        var facts = await FactsAsync();
        // No tag too: the untagged list's time-sorted pages read their ids first (RecordingFilterSql.IdsFirst).
        IReadOnlyList<string>[] tagSets = [[], ["car"], ["person"], ["car", "dog"], ["night", "nothing"], ["nothing"]];
        IReadOnlyList<string>[] streamSets = [[], ["cam1"], ["cam0", "cam2"], ["cam9"]];
        (DateTimeOffset?, DateTimeOffset?)[] windows = [(null, null), (T0.AddMinutes(60), T0.AddMinutes(200))];
        Func<RecordingQuery, RecordingQuery>[] extras =
            [q => q, q => q with { Protected = true }, q => q with { Protected = false }, q => q with { CaptureMethods = ["motion"] }];
        (RecordingSort, bool)[] sorts = [(RecordingSort.StartTime, false), (RecordingSort.StartTime, true), (RecordingSort.SizeBytes, false),
            (RecordingSort.Id, true)];
        foreach (var tagSet in tagSets)
        {
            foreach (var streams in streamSets)
            {
                foreach (var (start, end) in windows)
                {
                    foreach (var extra in extras)
                    {
                        foreach (var (sort, asc) in sorts)
                        {
                            var query = extra(new RecordingQuery
                            {
                                Tags = tagSet, Streams = streams, Start = start, End = end, Sort = sort, Ascending = asc, PageSize = 7,
                            });
                            var expected = Reference(facts, query);
                            foreach (var page in new[] { 1, 2, 4 })
                            {
                                var got = await store.ListAsync(query with { Page = page });
                                var label = $"{step}: tags={string.Join('+', tagSet)} streams={string.Join('+', streams)} " +
                                    $"window={start is not null} prot={query.Protected} cm={query.CaptureMethods.Count} {sort} asc={asc} page {page}";
                                Assert.True(expected.Count == got.Total, $"{label}: total {got.Total}, expected {expected.Count}");
                                Assert.True(expected.Skip((page - 1) * 7).Take(7).SequenceEqual(got.Items.Select(r => r.Id)),
                                    $"{label}: ids [{string.Join(',', got.Items.Select(r => r.Id))}]");
                            }
                        }
                    }
                }
            }
        }

        // The per-tag counts equal a recount from the base facts.
        var counts = new Dictionary<(string, string), long>();
        foreach (var (id, set) in facts.Tags)
        {
            var row = facts.Rows.SingleOrDefault(r => r.Id == id);
            if (row is { Listed: true })
            {
                foreach (var tag in set)
                {
                    counts[(tag, row.Stream)] = counts.GetValueOrDefault((tag, row.Stream)) + 1;
                }
            }
        }
        var stored = new Dictionary<(string, string), long>();
        await using var connection = await _db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tag, stream_name, listed FROM recording_tag_counts WHERE listed <> 0";
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        Assert.Equal(counts.OrderBy(kv => kv.Key), stored.OrderBy(kv => kv.Key));
    }

    private static List<long> Reference(Facts facts, RecordingQuery q)
    {
        var rows = facts.Rows.Where(r => r.Listed
            && (q.Streams.Count == 0 || q.Streams.Contains(r.Stream))
            && (q.Start is null || r.Start >= q.Start.Value.ToUnixTimeSeconds())
            && (q.End is null || r.Start <= q.End.Value.ToUnixTimeSeconds())
            && (q.Tags.Count == 0 || (facts.Tags.TryGetValue(r.Id, out var set) && q.Tags.Any(set.Contains)))
            && (q.Protected is null || r.Protected == q.Protected)
            && (q.CaptureMethods.Count == 0 || q.CaptureMethods.Contains(r.Trigger)));
        Func<Row, long> key = q.Sort switch
        {
            RecordingSort.SizeBytes => r => r.Size,
            RecordingSort.Id => r => r.Id,
            _ => r => r.Start,
        };
        var ordered = q.Ascending ? rows.OrderBy(key).ThenBy(r => r.Id) : rows.OrderByDescending(key).ThenByDescending(r => r.Id);
        return ordered.Select(r => r.Id).ToList();
    }

    private async Task<Facts> FactsAsync()
    {
        var facts = new Facts([], []);
        await using var connection = await _db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, stream_name, start_time, size_bytes, is_complete, deleting, protected, trigger_type FROM recordings";
        using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                facts.Rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt64(4) == 1 && reader.GetInt64(5) == 0, reader.GetInt64(6) == 1, reader.GetString(7)));
            }
        }
        command.CommandText = "SELECT recording_id, tag FROM recording_tags";
        using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var id = reader.GetInt64(0);
                if (!facts.Tags.TryGetValue(id, out var set))
                {
                    facts.Tags[id] = set = [];
                }
                set.Add(reader.GetString(1));
            }
        }
        return facts;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Row(long Id, string Stream, long Start, long Size, bool Listed, bool Protected, string Trigger);

    private sealed record Facts(List<Row> Rows, Dictionary<long, HashSet<string>> Tags);
}
