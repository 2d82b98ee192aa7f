namespace LightNvr.Media.Streaming;

/// <summary>Counters of one consumer (go2rtc-style per-consumer stats for the diagnostics page).</summary>
/// <param name="Name">What the consumer is, e.g. <c>recorder</c>.</param>
/// <param name="Remote">Remote address for network consumers, else null.</param>
/// <param name="Frames">Frames queued for the consumer.</param>
/// <param name="Bytes">Payload bytes queued for the consumer.</param>
/// <param name="Drops">Frames dropped because the queue was full, or skipped while waiting for a keyframe after that.</param>
/// <param name="Queued">Frames waiting in the queue now.</param>
public sealed record SubscriptionStats(string Name, string? Remote, long Frames, long Bytes, long Drops, long Queued);
