using LightNvr.Events;

namespace LightNvr.Detection;

/// <summary>
/// The observation sink used until the event spine registers its own (it wins: this one is added with TryAdd): logs
/// each observation at debug level and keeps nothing.
/// </summary>
public sealed partial class LoggingObservationSink(ILogger<LoggingObservationSink> logger) : IObservationSink
{
    public void Observe(Observation observation) =>
        LogObservation(observation.Stream, observation.Source, observation.Label, observation.Zone ?? "-", observation.Confidence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Observation {Stream}: {Source} {Label} zone {Zone} confidence {Confidence:F2}")]
    private partial void LogObservation(string stream, ObservationSource source, string label, string zone, float confidence);
}
