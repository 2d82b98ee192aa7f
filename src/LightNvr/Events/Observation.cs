namespace LightNvr.Events;

/// <summary>
/// One thing a source saw at one moment: motion in a zone, a detected object, an ONVIF event, an external trigger.
/// Sources report observations as they see them; <see cref="IObservationSink"/> turns a run of them into one event with
/// a start and an end (the post-detection buffer), so one person walking by is one event, not fifty rows.
/// </summary>
/// <param name="Stream">The stream's name as in the <c>streams</c> table.</param>
/// <param name="Label">"motion" for motion, the class name for objects, the topic's short name for ONVIF.</param>
/// <param name="Confidence">0–1; 1 for sources without a score (external triggers).</param>
/// <param name="Box">Where in the frame, when the source knows.</param>
/// <param name="Zone">The id of the zone the observation fell in, or null when the stream has no zones.</param>
/// <param name="At">When it was seen (wall clock of the frame's arrival).</param>
public sealed record Observation(
    string Stream,
    ObservationSource Source,
    string Label,
    float Confidence,
    NormalizedBox? Box,
    string? Zone,
    DateTimeOffset At);
