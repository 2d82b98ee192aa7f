namespace LightNvr.Events;

/// <summary>
/// The one entry point of the event spine. Sources (motion, objects, ONVIF, the external trigger) call
/// <see cref="Observe"/>; it never blocks and never throws on the caller's thread, so a detector cannot stall.
/// </summary>
public interface IObservationSink
{
    void Observe(Observation observation);
}
