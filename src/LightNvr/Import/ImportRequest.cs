namespace LightNvr.Import;

/// <summary>
/// What <c>lightnvr import</c> was asked: the upstream database, how to rewrite recording paths whose folder moved
/// (<c>--map OLD=NEW</c>, longest prefix first) and whether to change nothing (<c>--dry-run</c>).
/// </summary>
public sealed record ImportRequest(string SourcePath, IReadOnlyList<PathMap> PathMaps, bool DryRun)
{
    /// <summary>The recording path after the first map whose prefix matches, else unchanged.</summary>
    public string MapPath(string path)
    {
        foreach (var map in PathMaps.OrderByDescending(m => m.From.Length))
        {
            if (path.StartsWith(map.From, StringComparison.Ordinal))
            {
                return map.To + path[map.From.Length..];
            }
        }

        return path;
    }
}
