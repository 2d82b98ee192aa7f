namespace LightNvr.Events;

public sealed partial class EventService
{
    /// <summary>
    /// An external system's trigger (<c>POST /api/motion/trigger</c>, later MQTT): one observation per label, each held
    /// open until <paramref name="holdFor"/> from <paramref name="now"/> (null: <see cref="MaxHold"/>, released by
    /// <see cref="Release"/>). Returns how many were accepted; 0 means the event queue was full.
    /// </summary>
    public int TriggerExternal(string stream, IReadOnlyList<(string Label, float Confidence)> labels, TimeSpan? holdFor,
        IReadOnlyList<string> tags, DateTimeOffset now)
    {
        var hold = now + (holdFor ?? MaxHold);
        var accepted = 0;
        foreach (var (label, confidence) in labels)
        {
            if (Trigger(new Observation(stream, ObservationSource.External, label, confidence, null, null, now), hold, tags))
            {
                accepted++;
            }
        }

        return accepted;
    }
}
