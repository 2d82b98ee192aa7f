using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Tests.Recording;

/// <summary>The balancing rules of docs/scale.md, on the plan alone (the database side: <see cref="RecordingLeasesTests"/>).</summary>
public sealed class LeasePlanTests
{
    private static readonly string[] Twelve = Enumerable.Range(1, 12).Select(i => $"cam{i:00}").ToArray();

    private static NodeRecord Node(string id, int capacity = 16, params string[] pinned) =>
        new() { NodeId = id, Capacity = capacity, PinnedStreams = pinned };

    private static CameraLease Lease(string stream, string node, bool valid = true) =>
        new(stream, node, 1, valid ? 1_000 : 1, valid ? 10_000 : -10_000);

    [Fact]
    public void Three_equal_nodes_each_take_a_third_of_free_cameras()
    {
        NodeRecord[] nodes = [Node("a"), Node("b"), Node("c")];

        var plan = LeasePlan.Of("a", 16, Twelve, [], nodes, nodes);

        Assert.Equal(4, plan.Claim.Count);
        Assert.Empty(plan.Release);
    }

    [Fact]
    public void Capacity_weights_the_share()
    {
        NodeRecord[] nodes = [Node("a", 3), Node("b", 9)];

        Assert.Equal(3, LeasePlan.Of("a", 3, Twelve, [], nodes, nodes).Claim.Count);
        Assert.Equal(9, LeasePlan.Of("b", 9, Twelve, [], nodes, nodes).Claim.Count);
    }

    [Fact]
    public void A_dead_nodes_expired_cameras_are_shared_by_the_live_ones()
    {
        NodeRecord[] all = [Node("a"), Node("b"), Node("c")];
        NodeRecord[] live = [Node("a"), Node("b")];
        var leases = Twelve.Select((s, i) => Lease(s, "abc"[i % 3].ToString(), valid: i % 3 != 2)).ToList();

        var plan = LeasePlan.Of("a", 16, Twelve, leases, live, all);

        Assert.Equal(2, plan.Claim.Count); // 4 held + 2 of c's 4 = 6, half of 12
        Assert.All(plan.Claim, s => Assert.Equal("c", leases.Single(l => l.StreamName == s).NodeId));
    }

    [Fact]
    public void A_valid_lease_is_never_claimed_and_an_overloaded_node_releases_one_at_a_time()
    {
        NodeRecord[] nodes = [Node("a"), Node("b"), Node("c")];
        // c came back with nothing: a and b hold 6 each, all valid.
        var leases = Twelve.Select((s, i) => Lease(s, i < 6 ? "a" : "b")).ToList();

        var back = LeasePlan.Of("c", 16, Twelve, leases, nodes, nodes);
        var a = LeasePlan.Of("a", 16, Twelve, leases, nodes, nodes);

        Assert.Empty(back.Claim);
        Assert.Empty(a.Claim);
        Assert.Single(a.Release);
    }

    [Fact]
    public void Pinned_cameras_go_to_their_node_only_even_while_it_is_down()
    {
        NodeRecord[] all = [Node("a"), Node("b", 16, "cam01", "cam02")];
        NodeRecord[] live = [Node("a")];

        var plan = LeasePlan.Of("a", 16, Twelve, [], live, all);

        Assert.Equal(10, plan.Claim.Count);
        Assert.DoesNotContain("cam01", plan.Claim);
        Assert.DoesNotContain("cam02", plan.Claim);
        Assert.Contains("cam01", LeasePlan.Of("b", 16, Twelve, [], all, all).Claim);
    }

    [Fact]
    public void A_camera_pinned_elsewhere_is_given_back_by_the_node_that_took_it_first()
    {
        // Both nodes started together: b claimed cam01 before a's row (with its pin) was there.
        NodeRecord[] nodes = [Node("a", 16, "cam01"), Node("b")];
        CameraLease[] leases = [Lease("cam01", "b"), Lease("cam02", "b")];

        var atB = LeasePlan.Of("b", 16, ["cam01", "cam02"], leases, nodes, nodes);
        Assert.Equal(["cam01"], atB.Release);
        Assert.DoesNotContain("cam01", atB.Claim);

        var atA = LeasePlan.Of("a", 16, ["cam01", "cam02"], [Lease("cam02", "b")], nodes, nodes);
        Assert.Contains("cam01", atA.Claim);
    }

    [Fact]
    public void Leases_of_streams_no_longer_enabled_are_released()
    {
        NodeRecord[] nodes = [Node("a")];

        var plan = LeasePlan.Of("a", 16, ["cam01"], [Lease("cam01", "a"), Lease("gone", "a")], nodes, nodes);

        Assert.Equal(["gone"], plan.Release);
    }
}
