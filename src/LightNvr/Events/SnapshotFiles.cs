namespace LightNvr.Events;

/// <summary>
/// Where event snapshots live: <c>&lt;storage_path&gt;/snapshots/&lt;stream&gt;/&lt;file&gt;.jpg</c> (upstream's layout,
/// lightnvr-api.md §6), and the name checks that keep <c>GET /api/snapshots/{stream}/{file}</c> inside that folder.
/// </summary>
public static class SnapshotFiles
{
    /// <summary>Longest file or stream name accepted (a file name on ext4 is at most 255 bytes).</summary>
    public const int MaxNameLength = 255;

    public static string Root(string storagePath) => Path.Combine(Path.GetFullPath(storagePath), "snapshots");

    /// <summary>
    /// Stream names: upstream allows <c>[A-Za-z0-9_-]</c>; names created here may also hold <c>.</c> (not leading),
    /// so that is allowed too. Never "." or "..", never a separator.
    /// </summary>
    public static bool IsValidStream(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Upstream: <c>[A-Za-z0-9_.-]</c> ending in <c>.jpg</c>; not leading <c>.</c>.</summary>
    public static bool IsValidFile(string? name) =>
        name is { Length: > 4 and <= MaxNameLength } && name[0] != '.' && name.EndsWith(".jpg", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>The full path of a snapshot when both names are valid and it stays inside the snapshots folder; else null.</summary>
    public static string? Resolve(string storagePath, string stream, string file)
    {
        if (!IsValidStream(stream) || !IsValidFile(file))
        {
            return null;
        }
        var root = Root(storagePath) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, stream, file));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The file name of an event's snapshot: event id and start time, so it sorts and never collides.</summary>
    public static string FileName(long eventId, DateTimeOffset start) =>
        FormattableString.Invariant($"event_{eventId}_{start:yyyyMMdd_HHmmss}.jpg");
}
