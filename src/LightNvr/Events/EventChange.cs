using LightNvr.Data;

namespace LightNvr.Events;

/// <summary>What happened to an event, as every consumer (feed, event recording, snapshots, later MQTT) sees it.</summary>
public sealed record EventChange(EventChangeKind Kind, EventRecord Event, ObservationSource Source);
