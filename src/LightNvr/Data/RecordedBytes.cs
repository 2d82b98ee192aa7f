namespace LightNvr.Data;

/// <summary>
/// What was recorded since a moment: bytes (open segments by their size on disk now), segment count, the start
/// (unix seconds) of the oldest of them (null when there are none), and whether a recording that started before the
/// moment was still going on at it (then recording covers the whole window, not only from the oldest start on).
/// </summary>
public sealed record RecordedBytes(long Bytes, int Count, long? OldestStart, bool SpansStart = false);
