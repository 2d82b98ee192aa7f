using System.IO.Enumeration;

namespace LightNvr.Recording;

/// <summary>
/// Lists the segment files below one stream folder without following symbolic links (a linked folder is not entered,
/// a linked file is listed as a link) and, given a <see cref="SegmentPath.Stamp"/>, without entering the dated
/// folders (<c>YYYY</c>, <c>MM</c>, <c>DD</c>) that hold only older days. Names are read from the directory listing;
/// no file is opened or stat'ed here (a flat folder of 100,000 segments is one listing). Paths are built on the folder as given (not normalised), as the recorder builds the paths
/// its rows store, so they compare equal to them.
/// </summary>
public static class SegmentWalk
{
    /// <summary>Folder depth below a stream folder that is walked: the deepest layout is YYYY/MM/DD.</summary>
    public const int MaxDepth = 3;

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0, ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// The segment files of <paramref name="streamFolder"/>, every one when <paramref name="fromStamp"/> is null, else
    /// those named from that time on (and those whose names do not parse: the caller judges them), folders of earlier
    /// days not entered.
    /// </summary>
    public static IEnumerable<SegmentEntry> Files(string streamFolder, string? fromStamp) =>
        Walk(streamFolder, [], fromStamp);

    private static IEnumerable<SegmentEntry> Walk(string folder, string[] folders, string? fromStamp)
    {
        var entries = new FileSystemEnumerable<(string Path, string Name, bool IsDirectory, bool IsLink)>(folder,
            // Attributes cost an lstat: asked of folders only (few); a file's link check waits for the caller.
            (ref FileSystemEntry e) => (e.ToSpecifiedFullPath(), e.FileName.ToString(), e.IsDirectory,
                e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) != 0), Options)
        {
            // Decided on the listing's own name buffer: a file skipped here costs no allocation.
            ShouldIncludePredicate = (ref FileSystemEntry e) => e.IsDirectory || MayBeFrom(e.FileName, fromStamp),
        };
        var subfolders = new List<string>();
        foreach (var (path, name, isDirectory, isLink) in entries)
        {
            if (!isDirectory || isLink)
            {
                if (name.StartsWith(SegmentPath.Prefix, StringComparison.Ordinal))
                {
                    yield return new SegmentEntry(path, folders);
                }
            }
            else if (folders.Length < MaxDepth && !OlderThan(folders, name, fromStamp))
            {
                subfolders.Add(name);
            }
        }

        foreach (var name in subfolders)
        {
            foreach (var entry in Walk(Path.Combine(folder, name), [.. folders, name], fromStamp))
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// A segment's name whose time part is at or after <paramref name="fromStamp"/> (any segment's name when null);
    /// names that do not parse pass, for the caller to judge.
    /// </summary>
    private static bool MayBeFrom(ReadOnlySpan<char> name, string? fromStamp)
    {
        if (!name.StartsWith(SegmentPath.Prefix, StringComparison.Ordinal)
            || !name.EndsWith(SegmentPath.Extension, StringComparison.Ordinal))
        {
            return false;
        }

        var time = name[SegmentPath.Prefix.Length..];
        return fromStamp is null || time.Length < fromStamp.Length
            || time[..fromStamp.Length].CompareTo(fromStamp, StringComparison.Ordinal) >= 0;
    }

    /// <summary>
    /// Whether a dated folder (its name and those above it, e.g. 2026 then 01) holds only days before
    /// <paramref name="fromStamp"/>; folders with other names are always walked.
    /// </summary>
    private static bool OlderThan(string[] above, string name, string? fromStamp)
    {
        if (fromStamp is null)
        {
            return false;
        }

        var key = string.Concat(above) + name;
        var dated = above.Append(name).Select((f, i) => f.Length == (i == 0 ? 4 : 2) && f.All(char.IsAsciiDigit)).All(x => x);
        return dated && key.Length <= 8 && string.CompareOrdinal(key, fromStamp[..key.Length]) < 0;
    }
}
