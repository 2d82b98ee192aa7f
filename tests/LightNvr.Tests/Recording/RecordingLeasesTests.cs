using System.Diagnostics;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// Recorder nodes on one real PostgreSQL (Debian's server, <see cref="PostgresServer"/>): two lease layers share four
/// cameras, one stops heartbeating as a killed process would (no release), the other takes its cameras within the
/// lease time, and the fencing token refuses the dead node's rows. Heartbeats are driven by hand (TickAsync) so every
/// step is a condition, not a sleep; lease expiry runs on the database's clock.
/// </summary>
public sealed class RecordingLeasesTests : IAsyncLifetime
{
    private static readonly string[] Cameras = ["cam1", "cam2", "cam3", "cam4"];
    private readonly TempFolder _folder = new();
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.MigratedAsync(DatabaseEngine.Postgresql, _folder.File("unused.db"), TimeProvider.System);
        var streams = new StreamStore(_db);
        foreach (var name in Cameras)
        {
            await streams.InsertAsync(new StreamConfig { Name = name, Url = "rtsp://127.0.0.1:1/" + name });
        }
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    private RecordingLeases Node(string id, int ttlSeconds = 2) => new(
        new LightNvrConfig { Cluster = new ClusterOptions { NodeId = id, HeartbeatInterval = 1, LeaseTtl = ttlSeconds } },
        _db, new LeaseStore(_db), TimeProvider.System, NullLogger<RecordingLeases>.Instance);

    [Fact]
    public async Task Two_nodes_balance_then_one_dies_and_the_other_takes_its_cameras_and_fences_its_rows()
    {
        await using var a = Node("a");
        await using var b = Node("b");
        var changes = new List<string>();
        b.LeaseChanged += s =>
        {
            lock (changes)
            {
                changes.Add(s);
            }
            return Task.CompletedTask;
        };

        await a.TickAsync(); // alone: a takes every camera
        Assert.Equal(Cameras, a.Held.Keys.Order());
        await b.TickAsync(); // b sees them all validly held: takes none (never steals)
        Assert.Empty(b.Held);

        // Gentle rebalancing: a, over its share while b is under, gives one camera up per heartbeat; b claims it.
        for (var i = 0; i < 10 && b.Held.Count < 2; i++)
        {
            await a.TickAsync();
            await b.TickAsync();
            Assert.Empty(a.Held.Keys.Intersect(b.Held.Keys)); // never both
        }
        Assert.Equal(2, a.Held.Count);
        Assert.Equal(2, b.Held.Count);
        var aEpochs = a.Held;

        // a dies (kill -9: no release, no more heartbeats). b takes its cameras once their leases expire.
        var clock = Stopwatch.StartNew();
        while (b.Held.Count < 4 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
            await b.TickAsync();
        }
        Assert.Equal(Cameras, b.Held.Keys.Order());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"took over after {clock.Elapsed}: before the lease expired?");
        lock (changes)
        {
            Assert.Equal(4, changes.Distinct().Count());
        }

        // Fencing: the dead node's next row (its old epoch) is refused; the new holder's goes in, naming it.
        var recordings = new RecordingStore(_db, TimeProvider.System);
        var (stream, oldEpoch) = aEpochs.First();
        var row = new RecordingRecord { StreamName = stream, FilePath = "/x.mp4", NodeId = "a", LeaseEpoch = oldEpoch };
        var refused = await Assert.ThrowsAsync<LeaseLostException>(() => recordings.InsertOpenAsync(row));
        Assert.Equal(stream, refused.Stream);
        var id = await recordings.InsertOpenAsync(row with { NodeId = "b", LeaseEpoch = b.EpochOf(stream) });
        Assert.Equal("b", (await recordings.GetAsync(id))!.NodeId);
        Assert.True(b.EpochOf(stream) > oldEpoch);
    }

    [Fact]
    public async Task A_node_that_comes_back_takes_only_what_is_released_and_a_graceful_stop_releases_at_once()
    {
        await using var a = Node("a", ttlSeconds: 30);
        await using var b = Node("b", ttlSeconds: 30);
        await a.TickAsync();
        await b.StartAsync(CancellationToken.None); // its loop runs too; b takes nothing valid
        Assert.Empty(b.Held);

        await a.StartAsync(CancellationToken.None);
        await a.StopAsync(CancellationToken.None); // graceful: every lease released (expires_at 0)
        var leases = await new LeaseStore(_db).ListLeasesAsync();
        Assert.All(leases, l => Assert.True(l.Released));

        var clock = Stopwatch.StartNew();
        while (b.Held.Count < 4 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }
        Assert.Equal(4, b.Held.Count); // released leases are taken at the next heartbeat, not after 30 s
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{clock.Elapsed}");
        await b.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void On_sqlite_the_node_holds_everything_without_a_lease()
    {
        using var sqlite = new Database(_folder.File("one-box.db"));
        var leases = new RecordingLeases(new LightNvrConfig { Cluster = new ClusterOptions { NodeId = "box" } }, sqlite,
            new LeaseStore(sqlite), TimeProvider.System, NullLogger<RecordingLeases>.Instance);

        Assert.False(leases.Enabled);
        Assert.True(leases.Holds("anything"));
        Assert.Null(leases.EpochOf("anything"));
        Assert.Equal("box", leases.NodeId);
    }
}
