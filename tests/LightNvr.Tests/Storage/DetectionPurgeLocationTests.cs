using LightNvr.Data;
using LightNvr.Storage;

namespace LightNvr.Tests.Storage;

/// <summary>
/// The purge of old events and detections with recorder nodes (docs/scale.md "Retention with several nodes"), on both
/// engines: each row names the node that wrote it (migration 13), and the purge follows the recordings' rule — a node on
/// its own storage purges only its own rows and deletes only its own snapshot JPEGs (another node's snapshot path is on
/// that node's disk), rows from before the nodes only while it is the only node, and a shared location is purged by the
/// one node holding its sweep lease, every row of the location's nodes and none of another location's.
/// </summary>
public sealed class DetectionPurgeLocationTests
{
    private static long Ago(StorageFixture f, int days) => f.Time.GetUtcNow().ToUnixTimeSeconds() - (days * 86400L);

    /// <summary>An old closed event written by <paramref name="node"/> ('' = before the nodes) with a snapshot, and a detection row.</summary>
    private static async Task<(long Event, string Snapshot)> WriteAsync(StorageFixture f, string node, int days = 40)
    {
        var folder = Path.Combine(f.Config.Storage.Path, "snapshots", "cam");
        Directory.CreateDirectory(folder);
        var snapshot = Path.Combine(folder, $"event_{node}_{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(snapshot, [0xFF, 0xD8, 0xFF]);
        var start = Ago(f, days);
        var events = new EventStore(f.Database, node);
        var id = await events.InsertAsync(new EventRecord
        {
            StreamName = "cam", Source = "motion", Label = "motion", Confidence = 0.5, StartTime = start, LastSeen = start + 5,
            EndTime = start + 5,
        });
        await events.AttachAsync(id, snapshot, null);
        await new DetectionStore(f.Database, node).InsertAsync(
            new DetectionRow("cam", start, "motion", 0.5, null, null, null, null, null, node.Length == 0 ? "legacy" : node, null));
        return (id, snapshot);
    }

    private static async Task<List<string>> DetectionSourcesAsync(StorageFixture f)
    {
        await using var connection = await f.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT source FROM detections ORDER BY source";
        var sources = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sources.Add(reader.GetString(0));
        }
        return sources;
    }

    private static async Task<string> NodeOfEventAsync(StorageFixture f, long id)
    {
        await using var connection = await f.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT node_id FROM detection_events WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task A_node_on_its_own_storage_purges_only_its_own_events_detections_and_snapshots(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        await f.JoinAsync("a");
        await f.JoinAsync("b");
        var mine = await WriteAsync(f, "a");
        var theirs = await WriteAsync(f, "b");
        var legacy = await WriteAsync(f, "");
        var recent = await WriteAsync(f, "a", days: 1);
        Assert.Equal("a", await NodeOfEventAsync(f, mine.Event)); // the writer stamps its node

        var result = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "a", "")).RunAsync(false, default);

        Assert.Equal(1, result.EventsPurged);
        Assert.Equal(1, result.DetectionsPurged);
        Assert.Null(await f.Events.GetAsync(mine.Event));
        Assert.False(File.Exists(mine.Snapshot));
        Assert.NotNull(await f.Events.GetAsync(theirs.Event));
        Assert.True(File.Exists(theirs.Snapshot)); // on b's disk in a real cluster: b deletes it with its row
        Assert.NotNull(await f.Events.GetAsync(legacy.Event)); // another node joined: whose these are is unknown
        Assert.NotNull(await f.Events.GetAsync(recent.Event));
        Assert.Equal(["a", "b", "legacy"], await DetectionSourcesAsync(f)); // a's recent one, b's and the legacy one

        // b's own sweep then takes b's rows and snapshot.
        var atB = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "b", "")).RunAsync(false, default);
        Assert.Equal(1, atB.EventsPurged);
        Assert.Null(await f.Events.GetAsync(theirs.Event));
        Assert.False(File.Exists(theirs.Snapshot));
        Assert.Equal(["a", "legacy"], await DetectionSourcesAsync(f));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task The_only_node_also_purges_the_rows_from_before_the_nodes(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        await f.JoinAsync("a");
        var mine = await WriteAsync(f, "a");
        var legacy = await WriteAsync(f, "");

        var result = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "a", "")).RunAsync(false, default);

        Assert.Equal(2, result.EventsPurged);
        Assert.Equal(2, result.DetectionsPurged);
        Assert.False(File.Exists(mine.Snapshot));
        Assert.False(File.Exists(legacy.Snapshot));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task A_shared_location_is_purged_by_one_node_and_never_another_locations_rows(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        await f.JoinAsync("a", "nas");
        await f.JoinAsync("b", "nas");
        await f.JoinAsync("c");
        var ofA = await WriteAsync(f, "a");
        var ofB = await WriteAsync(f, "b");
        var ofC = await WriteAsync(f, "c");

        var first = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "a", "nas")).RunAsync(false, default);
        var second = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "b", "nas")).RunAsync(false, default);

        Assert.Equal(2, first.EventsPurged);
        Assert.Equal(2, first.DetectionsPurged);
        Assert.True(second.NotThisNode);
        Assert.Equal(0, second.EventsPurged);
        Assert.False(File.Exists(ofA.Snapshot));
        Assert.False(File.Exists(ofB.Snapshot)); // the shared path: one node deletes the location's snapshots
        Assert.NotNull(await f.Events.GetAsync(ofC.Event));
        Assert.True(File.Exists(ofC.Snapshot));
        Assert.Equal(["c"], await DetectionSourcesAsync(f));
    }

    [Fact]
    public async Task One_box_purges_every_row()
    {
        await using var f = await StorageFixture.ForLocationsAsync(DatabaseEngine.Sqlite);
        var legacy = await WriteAsync(f, "");
        var stamped = await WriteAsync(f, "a"); // e.g. a database copied back from a cluster

        var result = await f.Sweep.RunAsync(false, default);

        Assert.Equal(2, result.EventsPurged);
        Assert.Equal(2, result.DetectionsPurged);
        Assert.False(File.Exists(legacy.Snapshot));
        Assert.False(File.Exists(stamped.Snapshot));
    }
}
