using LightNvr.Config;

namespace LightNvr.Storage;

/// <summary>
/// The folders recordings may live in (<c>[storage] path</c> and <c>mp4_path</c>), canonicalised with every symlink
/// resolved. <see cref="Resolve"/> is the one gate every id, name or path from a request passes before a file is
/// opened or deleted: the real path (links followed) must be inside a root, else null. Nothing else in the API opens
/// a recording file.
/// </summary>
public sealed class StorageRoot
{
    /// <summary>Symlink hops followed before a path is refused (Linux's own MAXSYMLINKS is 40).</summary>
    public const int MaxLinkHops = 40;

    private readonly string[] _roots;

    public StorageRoot(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = RealPath(System.IO.Path.GetFullPath(options.Path)) ?? System.IO.Path.GetFullPath(options.Path);
        var mp4 = RealPath(System.IO.Path.GetFullPath(options.Mp4Path)) ?? System.IO.Path.GetFullPath(options.Mp4Path);
        _roots = IsUnder(mp4, Path) ? [Path] : [Path, mp4];
        ThumbnailFolder = System.IO.Path.Combine(Path, "thumbnails");
    }

    /// <summary>The storage folder (canonical).</summary>
    public string Path { get; }

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Where thumbnails are cached: <c>&lt;storage&gt;/thumbnails/&lt;id&gt;_&lt;index&gt;.jpg</c>.</summary>
    public string ThumbnailFolder { get; }

    /// <summary>
    /// The real path of <paramref name="path"/> when it is absolute (after percent-decoding by the caller), has no NUL,
    /// and its real location (symlinks resolved, also of a final link) lies inside a root; otherwise null.
    /// </summary>
    public string? Resolve(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal) || !System.IO.Path.IsPathFullyQualified(path))
        {
            return null;
        }
        var real = RealPath(System.IO.Path.GetFullPath(path));
        return real is not null && _roots.Any(r => IsUnder(real, r) && real != r) ? real : null;
    }

    /// <summary>The length of the file a row names when it lies inside a root and exists; else null.</summary>
    public long? FileLength(string path) =>
        Resolve(path) is { } real && new FileInfo(real) is { Exists: true } file ? file.Length : null;

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or inside it (both canonical).</summary>
    public static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    /// <summary>
    /// Like realpath(3) for the existing part of the path: each component that is a symlink is replaced by its target;
    /// a missing tail is appended as is. Null when links loop or exceed <see cref="MaxLinkHops"/>.
    /// </summary>
    public static string? RealPath(string fullPath)
    {
        var parts = new Queue<string>(fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var hops = 0;
        while (parts.Count > 0)
        {
            var part = parts.Dequeue();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = System.IO.Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = System.IO.Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
            }
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    return null;
                }
                var absolute = System.IO.Path.IsPathFullyQualified(target) ? target : System.IO.Path.Combine(current, target);
                var rest = parts.ToArray();
                parts = new Queue<string>(absolute.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = "/";
                continue;
            }
            current = next;
        }
        return current;
    }
}
