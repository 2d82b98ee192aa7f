namespace LightNvr.Storage;

/// <summary>
/// Seconds of an export's range left out: recorded by <see cref="Node"/> (or "" for a row from before the nodes) from
/// <see cref="Start"/> to <see cref="End"/> (unix seconds). <see cref="Next"/>: how many sources came before it (two
/// left-out segments are one span only when no source lies between them).
/// </summary>
public sealed record MissingSpan(string Node, long Start, long End, int Next);
