using LightNvr.Health;


namespace LightNvr.Live;

/// <summary>Adds live viewers' drops (hub queue overflow plus catch-up skips) to each stream's <c>frames_dropped</c>.</summary>
public sealed class LiveHealthContributor(LiveConsumers consumers) : IHealthContributor
{
    public void Contribute(HealthReport report)
    {
        foreach (var stream in report.StreamsDetail)
        {
            stream.FramesDropped += consumers.For(stream.Name).Sum(c => c.Drops);
        }
    }
}
