using System.Collections.Concurrent;
using LightNvr.Events;
using LightNvr.Onvif;
using LightNvr.Testing.Onvif;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Onvif;

/// <summary>
/// PullPoint events from <see cref="OnvifStandIn"/> (a STAND-IN camera) into the event spine's sink: motion start
/// keeps observations coming each pull until motion stop; the subscription is created and removed on the camera.
/// </summary>
public sealed class OnvifEventSubscriptionTests
{
    private sealed class ListSink : IObservationSink
    {
        public ConcurrentQueue<Observation> Seen { get; } = new();
        public void Observe(Observation observation) => Seen.Enqueue(observation);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Camera_motion_is_observed_each_pull_until_the_camera_says_it_stopped()
    {
        await using var camera = new OnvifStandIn(clockSkew: TimeSpan.FromHours(2));
        var sink = new ListSink();
        var subscription = new OnvifEventSubscription(new OnvifSoapClient(new HttpClient(), TimeProvider.System), TimeProvider.System, sink,
            NullLogger.Instance, "porch", camera.DeviceUrl, new OnvifCredentials("admin", "secret"));
        using var stop = new CancellationTokenSource();
        var run = subscription.RunAsync(stop.Token);

        await WaitAsync(() => camera.ActiveSubscriptions == 1, "the subscription");
        Assert.Empty(sink.Seen);
        camera.EmitMotion(true);
        await WaitAsync(() => sink.Seen.Count >= 3, "three observations while motion lasts");
        var first = sink.Seen.First();
        Assert.Equal(("porch", ObservationSource.Onvif, "motion"), (first.Stream, first.Source, first.Label));

        camera.EmitMotion(false);
        var pullsAtStop = camera.Count("PullMessages");
        await WaitAsync(() => camera.Count("PullMessages") >= pullsAtStop + 2, "two pulls after the stop");
        var countAfterStop = sink.Seen.Count;
        await WaitAsync(() => camera.Count("PullMessages") >= pullsAtStop + 4, "two further pulls");
        Assert.Equal(countAfterStop, sink.Seen.Count);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, camera.ActiveSubscriptions); // Unsubscribe on stop
        Assert.Equal(0, camera.AuthFailures);
    }

    [Theory]
    [InlineData("tns1:RuleEngine/CellMotionDetector/Motion", "IsMotion", "true", "motion", true)]
    [InlineData("tns1:VideoSource/MotionAlarm", "State", "false", "motion", false)]
    [InlineData("tns1:RuleEngine/TamperDetector/Tamper", "IsTamper", "1", "tamper", true)]
    [InlineData("tns1:VideoSource/GlobalSceneChange/ImagingService", "State", "true", "tamper", true)]
    [InlineData("tns1:RuleEngine/MyRuleDetector/PeopleDetect", "IsPeople", "true", "person", true)]
    public void Topics_map_to_labels(string topic, string item, string value, string label, bool active)
    {
        var n = new OnvifNotification(topic, null, "Changed", new Dictionary<string, string>(), new Dictionary<string, string> { [item] = value });
        Assert.Equal((label, active), OnvifEventTopics.Classify(n));
    }

    [Fact]
    public void Other_topics_are_not_detections()
    {
        var n = new OnvifNotification("tns1:Device/Trigger/DigitalInput", null, "Changed", new Dictionary<string, string>(),
            new Dictionary<string, string> { ["LogicalState"] = "true" });
        Assert.Null(OnvifEventTopics.Classify(n));
    }
}
