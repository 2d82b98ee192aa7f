using LightNvr.Data;
using LightNvr.Storage;

namespace LightNvr.Tests.Storage;

/// <summary>
/// Retention with recorder nodes (docs/scale.md "Retention"), on both engines: a node on its own storage sweeps only
/// its own rows (and the rows from before the nodes only while it is the only node); nodes sharing a storage location
/// sweep it one at a time through the <c>storage_sweeps</c> lease, taking every row of the location's nodes and none of
/// another location's; the lease passes on when it expires.
/// </summary>
public sealed class RetentionLocationTests
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(40);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task A_node_on_its_own_storage_deletes_only_its_own_rows(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        await f.JoinAsync("a");
        await f.JoinAsync("b");
        var mine = await f.AddAsync("cam", Old, node: "a");
        var theirs = await f.AddAsync("cam", Old, node: "b");
        var legacy = await f.AddAsync("cam", Old);
        var recent = await f.AddAsync("cam", TimeSpan.FromDays(1), node: "a");

        var result = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "a", "")).RunAsync(false, default);

        Assert.Equal(1, result.Deleted);
        Assert.False(await f.ExistsAsync(mine));
        Assert.True(await f.ExistsAsync(theirs));
        Assert.True(await f.ExistsAsync(legacy)); // another node joined: whose files these are is unknown
        Assert.True(await f.ExistsAsync(recent));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task The_only_node_also_deletes_the_rows_from_before_the_nodes(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        await f.JoinAsync("a");
        var mine = await f.AddAsync("cam", Old, node: "a");
        var legacy = await f.AddAsync("cam", Old);

        var result = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "a", "")).RunAsync(false, default);

        Assert.Equal(2, result.Deleted);
        Assert.False(await f.ExistsAsync(mine));
        Assert.False(await f.ExistsAsync(legacy));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task Nodes_sharing_a_location_sweep_it_one_at_a_time_and_never_another_location(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        await f.JoinAsync("a", "nas");
        await f.JoinAsync("b", "nas");
        await f.JoinAsync("c");
        var ofA = await f.AddAsync("cam", Old, node: "a");
        var ofB = await f.AddAsync("cam", Old, node: "b");
        var ofC = await f.AddAsync("cam", Old, node: "c");

        var first = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "a", "nas")).RunAsync(false, default);
        var second = await f.SweepAt(new SweepLocation(new LeaseStore(f.Database), "b", "nas")).RunAsync(false, default);

        Assert.False(first.NotThisNode);
        Assert.Equal(2, first.Deleted);
        Assert.True(second.NotThisNode);
        Assert.Equal(0, second.Deleted);
        Assert.False(await f.ExistsAsync(ofA));
        Assert.False(await f.ExistsAsync(ofB));
        Assert.True(await f.ExistsAsync(ofC));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task The_sweep_lease_is_kept_by_its_holder_and_passes_on_when_it_expires(DatabaseEngine engine)
    {
        await using var f = await StorageFixture.ForLocationsAsync(engine);
        var leases = new LeaseStore(f.Database);
        Assert.True(await leases.ClaimSweepAsync("a", "nas", TimeSpan.FromMinutes(15)));
        Assert.False(await leases.ClaimSweepAsync("b", "nas", TimeSpan.FromMinutes(15)));
        Assert.True(await leases.ClaimSweepAsync("a", "nas", TimeSpan.FromMinutes(15))); // kept by its holder
        Assert.True(await leases.ClaimSweepAsync("b", "other", TimeSpan.FromMinutes(15))); // another location: its own lease

        // a's last renewal ends in the past (as if it stopped sweeping long ago; no waiting on the database's clock).
        Assert.True(await leases.ClaimSweepAsync("a", "nas", TimeSpan.FromMinutes(-1)));
        Assert.True(await leases.ClaimSweepAsync("b", "nas", TimeSpan.FromMinutes(15)));
        Assert.False(await leases.ClaimSweepAsync("a", "nas", TimeSpan.FromMinutes(15)));
    }
}
