namespace LightNvr.Events;

/// <summary>
/// What makes two observations the same event: stream, source, label and zone. So a person and a car seen together
/// are two events, motion in two zones is two events, and an ONVIF motion event does not merge into the built-in
/// detector's (each source's own start/end stays visible). One stream's overlapping events share one recording
/// (<see cref="EventRecorder"/> keeps it open while any of them is).
/// </summary>
public readonly record struct EventKey(string Stream, ObservationSource Source, string Label, string? Zone);
