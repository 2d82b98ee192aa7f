using System.Globalization;

namespace LightNvr.Recording;

/// <summary>
/// Where a segment's file goes: <c>mp4_path/&lt;stream&gt;/[YYYY/MM[/DD]/]recording_YYYYmmdd_HHMMSS.mp4</c>, upstream's
/// layout (lightnvr-upstream.md feature 16; <c>mp4_directory_format</c> flat | year_month | year_month_day). The time
/// in the name is the segment's wall-clock start in the server's local zone, as upstream's strftime names it.
/// </summary>
public static class SegmentPath
{
    public const string Prefix = "recording_";
    public const string Extension = ".mp4";

    private const string StampFormat = "yyyyMMdd_HHmmss";

    /// <summary>Files tried with a <c>_N</c> suffix when two segments of a stream start in the same second.</summary>
    public const int MaxCollisionSuffix = 100;

    /// <summary>The folder for a segment of <paramref name="stream"/> starting at <paramref name="localStart"/>.</summary>
    public static string Directory(string mp4Root, string stream, string directoryFormat, DateTime localStart)
    {
        var streamDir = Path.Combine(mp4Root, SafeName(stream));
        return directoryFormat switch
        {
            "flat" => streamDir,
            "year_month" => Path.Combine(streamDir, localStart.ToString("yyyy", CultureInfo.InvariantCulture),
                localStart.ToString("MM", CultureInfo.InvariantCulture)),
            _ => Path.Combine(streamDir, localStart.ToString("yyyy", CultureInfo.InvariantCulture),
                localStart.ToString("MM", CultureInfo.InvariantCulture), localStart.ToString("dd", CultureInfo.InvariantCulture)),
        };
    }

    /// <summary><c>recording_YYYYmmdd_HHMMSS[_N].mp4</c>.</summary>
    public static string FileName(DateTime localStart, int collision = 0) =>
        Prefix + Stamp(localStart)
        + (collision == 0 ? "" : "_" + collision.ToString(CultureInfo.InvariantCulture)) + Extension;

    /// <summary><c>YYYYmmdd_HHMMSS</c>: the time part of a segment's name; names of one stream sort by it.</summary>
    public static string Stamp(DateTime localStart) => localStart.ToString(StampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The local start written in a segment's name by <see cref="FileName"/>, <c>recording_YYYYmmdd_HHMMSS[_N].mp4</c>;
    /// false for any other name.
    /// </summary>
    public static bool TryParseStart(string fileName, out DateTime localStart)
    {
        localStart = default;
        var name = fileName.AsSpan();
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Extension, StringComparison.Ordinal)
            || name.Length < Prefix.Length + StampFormat.Length + Extension.Length)
        {
            return false;
        }

        var rest = name[(Prefix.Length + StampFormat.Length)..^Extension.Length];
        if (rest.Length > 0 && (rest.Length < 2 || rest[0] != '_' || !int.TryParse(rest[1..], NumberStyles.None,
                CultureInfo.InvariantCulture, out _)))
        {
            return false;
        }

        return DateTime.TryParseExact(name.Slice(Prefix.Length, StampFormat.Length), StampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.None, out localStart);
    }

    /// <summary>
    /// Whether <paramref name="folders"/> (a segment's folders below its stream folder) are where one of the
    /// <c>mp4_directory_format</c> layouts puts a segment starting at <paramref name="localStart"/>: none (flat),
    /// YYYY/MM or YYYY/MM/DD. Any layout counts, as the setting may have changed since the file was written.
    /// </summary>
    public static bool FolderFits(IReadOnlyList<string> folders, DateTime localStart)
    {
        ArgumentNullException.ThrowIfNull(folders);
        string[] expected = [localStart.ToString("yyyy", CultureInfo.InvariantCulture),
            localStart.ToString("MM", CultureInfo.InvariantCulture), localStart.ToString("dd", CultureInfo.InvariantCulture)];
        return folders.Count is 0 or 2 or 3 && folders.Select((f, i) => f == expected[i]).All(x => x);
    }

    /// <summary>
    /// Creates the segment's file exclusively (O_EXCL: never overwrites a recording), adding <c>_1</c>, <c>_2</c>, …
    /// when the name is taken, and returns the open stream. Creates missing folders.
    /// </summary>
    public static FileStream CreateNew(string directory, DateTime localStart, int bufferSize, out string path)
    {
        System.IO.Directory.CreateDirectory(directory);
        for (var n = 0; ; n++)
        {
            path = Path.Combine(directory, FileName(localStart, n));
            try
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize,
                    FileOptions.None);
            }
            catch (IOException) when (n < MaxCollisionSuffix && File.Exists(path))
            {
            }
        }
    }

    /// <summary>A stream name as one path segment: separators and '..' cannot escape the stream folder.</summary>
    public static string SafeName(string stream)
    {
        var chars = stream.Select(c => c == '/' || c == '\\' || c == '\0' || char.IsControl(c) ? '_' : c).ToArray();
        var name = new string(chars);
        return name is "" or "." or ".." ? "_" + name : name;
    }
}
