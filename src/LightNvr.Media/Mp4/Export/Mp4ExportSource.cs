namespace LightNvr.Media.Mp4.Export;

/// <summary>
/// One segment file for <see cref="Mp4RangeExporter"/>: its path and the time (unix ms, or any millisecond axis the
/// caller uses for the range) of its decode time 0 — for our recordings, the segment's start time.
/// </summary>
public sealed record Mp4ExportSource(string Path, long StartMs);
