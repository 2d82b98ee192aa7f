using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Relay;

namespace LightNvr.Tests.Relay;

/// <summary>The source rule of docs/scale.md "Live view on any node": relay from a healthy holder, else the camera.</summary>
public sealed class RelaySourceChoiceTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    private static ClusterView View(string holder = "nodea", long remainingMs = 10_000, long expiresAt = 1, long ageMs = 1_000,
        string rtsp = "rtsp://10.0.0.11:8554") =>
        new([new CameraLease("cam", holder, 3, expiresAt, remainingMs)],
            [new NodeRecord { NodeId = "nodea", HeartbeatAgeMilliseconds = ageMs, RtspAddress = rtsp },
                new NodeRecord { NodeId = "nodeb", HeartbeatAgeMilliseconds = 0, RtspAddress = "rtsp://10.0.0.12:8554" }], 0);

    private static RelayChoice Choose(ClusterView? view, bool holds = false, TimeSpan since = default, bool failed = false) =>
        RelaySourceChoice.Choose("cam", "nodeb", holds, view, Ttl, since, _ => failed);

    [Fact]
    public void Healthy_holder_elsewhere_is_relayed_from()
    {
        var choice = Choose(View());
        Assert.True(choice.IsRelay);
        Assert.Equal(("nodea", "rtsp://10.0.0.11:8554"), (choice.NodeId, choice.RtspAddress));
    }

    public static TheoryData<string, ClusterView?, bool, int, bool> DirectCases => new()
    {
        { "this node holds the lease", View(), true, 0, false },
        { "no lease read yet", null, false, 0, false },
        { "no lease row", new ClusterView([], View().Nodes, 0), false, 0, false },
        { "lease released", View(expiresAt: 0, remainingMs: -5), false, 0, false },
        { "lease expired", View(remainingMs: -1), false, 0, false },
        { "lease expired since the read", View(remainingMs: 2_000), false, 3, false },
        { "lease row names this node", View(holder: "nodeb"), false, 0, false },
        { "holder unhealthy", View(ageMs: 15_000), false, 0, false },
        { "holder unhealthy since the read", View(ageMs: 13_000), false, 3, false },
        { "holder without RTSP address", View(rtsp: ""), false, 0, false },
        { "holder address not rtsp", View(rtsp: "http://10.0.0.11:8080"), false, 0, false },
        { "holder refused lately", View(), false, 0, true },
    };

    [Theory]
    [MemberData(nameof(DirectCases))]
    public void Otherwise_the_camera_itself(string why, ClusterView? view, bool holds, int secondsSinceRead, bool failed)
    {
        var choice = Choose(view, holds, TimeSpan.FromSeconds(secondsSinceRead), failed);
        Assert.False(choice.IsRelay, why + ": " + choice.Reason);
        Assert.Null(choice.RtspAddress);
    }

    [Fact]
    public void Relay_url_carries_the_node_user_and_an_escaped_stream_name()
    {
        var url = NodeRelayCredential.RelayUrl("rtsp://10.0.0.11:8554/", "front door", "ab12");
        Assert.Equal("rtsp://lightnvr-node:ab12@10.0.0.11:8554/front%20door", url);
    }
}
