using System.Text.RegularExpressions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// Every writer of recordings goes through <c>RecordingFiles</c>: no other source file of the server unlinks a file
/// or inserts or removes a recordings row. A few files unlink files that are no recordings; each is named with why.
/// </summary>
public sealed partial class RecordingFileWritersTests
{
    /// <summary>Files of the server allowed to call File.Delete on something that is not a recording (by file name).</summary>
    private static readonly Dictionary<string, string> NotRecordings = new(StringComparer.Ordinal)
    {
        ["DatabaseBackup.cs"] = "a database backup's temporary copy",
        ["DatabaseBackupService.cs"] = "database backups beyond backup_retention_count",
        ["DatabaseRestore.cs"] = "an uploaded backup's temporary copy, or a staged restore dropped by its admin",
        ["DetectionPurge.cs"] = "an expired event's snapshot JPEG, only under <storage>/snapshots",
        ["IniDocument.cs"] = "the INI file's temporary copy",
        ["ImportSnapshot.cs"] = "the import's temporary copy of an upstream database",
        ["PidFile.cs"] = "the pid file",
        ["RgbFrameChannel.cs"] = "the detection decoder's Unix socket file",
        ["ThumbnailService.cs"] = "a thumbnail's temporary file",
    };

    [Fact]
    public void Only_RecordingFiles_unlinks_files_among_the_recording_writers()
    {
        var offenders = Sources()
            .Where(s => s.Name != "RecordingFiles.cs" && !NotRecordings.ContainsKey(s.Name))
            .Where(s => s.Text.Contains("File.Delete(", StringComparison.Ordinal))
            .Select(s => s.Name)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Only_RecordingFiles_inserts_marks_or_removes_recordings_rows()
    {
        // The store methods that add or remove a recordings row; Data/ defines them, RecordingFiles alone calls them.
        var offenders = Sources()
            .Where(s => s.Name != "RecordingFiles.cs" && !s.Path.Contains("/Data/", StringComparison.Ordinal))
            .Where(s => LifecycleCall().IsMatch(s.Text))
            .Select(s => s.Name + ": " + LifecycleCall().Match(s.Text).Value)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_scan_finds_the_calls_it_looks_for()
    {
        // Guards the two tests above against passing on an empty or wrong folder.
        var files = Sources().Single(s => s.Name == "RecordingFiles.cs");
        Assert.Contains("File.Delete(", files.Text, StringComparison.Ordinal);
        Assert.Matches(LifecycleCall(), files.Text);
        Assert.True(Sources().Count() > 100);
    }

    [GeneratedRegex(@"\.(InsertOpenAsync|InsertReplayedAsync|RemoveCompleteAsync|MarkDeletingAsync|MarkDiscardingAsync|MarkAsync)\(|recordings\.DeleteAsync\(|retention\.RemoveAsync\(")]
    private static partial Regex LifecycleCall();

    private static IEnumerable<(string Name, string Path, string Text)> Sources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "LightNvr.slnx")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var server = System.IO.Path.Combine(dir.FullName, "src", "LightNvr");
        return Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Select(p => (System.IO.Path.GetFileName(p), p.Replace('\\', '/'), File.ReadAllText(p)));
    }
}
