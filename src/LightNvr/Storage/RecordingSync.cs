using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Storage;

/// <summary>
/// <c>POST /api/recordings/sync</c>: reconciles the database with the disk while recording goes on. Complete rows whose
/// file is gone are removed (no file, so no unlink step); a complete row whose size on disk changed is updated.
/// Segment files with no row are reported, not adopted: a file without a row may be the one a recorder is creating
/// this instant (its row follows the file, D4), and start-up recovery adopts real orphans before any recorder runs.
/// </summary>
public sealed class RecordingSync(Database database, StorageRoot root, StorageOptions options)
{
    /// <summary>Orphan paths listed in the reply at most (the count is exact).</summary>
    public const int MaxReportedOrphans = 100;

    public async Task<SyncReport> RunAsync(CancellationToken ct)
    {
        var report = new SyncReport();
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = new List<(long Id, string Path, long Size)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, file_path, size_bytes, is_complete FROM recordings WHERE deleting = 0";
            using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                known.Add(reader.GetString(1));
                if (reader.GetInt64(3) == 1)
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }
        }
        foreach (var (id, path, size) in rows)
        {
            var real = root.Resolve(path);
            using var command = connection.CreateCommand();
            command.Parameters.AddWithValue("$id", id);
            if (real is null || !File.Exists(real))
            {
                command.CommandText = "DELETE FROM recordings WHERE id = $id AND is_complete = 1";
                report.RowsRemoved += await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            else if (new FileInfo(real).Length is var length && length != size)
            {
                command.CommandText = "UPDATE recordings SET size_bytes = $s WHERE id = $id";
                command.Parameters.AddWithValue("$s", length);
                report.RowsUpdated += await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        var mp4 = Path.GetFullPath(options.Mp4Path);
        if (Directory.Exists(mp4))
        {
            foreach (var file in Directory.EnumerateFiles(mp4, SegmentPath.Prefix + "*" + SegmentPath.Extension, SearchOption.AllDirectories))
            {
                if (!known.Contains(file))
                {
                    if (report.Orphans.Count < MaxReportedOrphans)
                    {
                        report.Orphans.Add(file);
                    }
                    report.OrphanCount++;
                }
            }
        }
        return report;
    }
}
