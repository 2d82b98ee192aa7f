using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>
/// Issue 17 item 7, "must show": an online backup taken while four real GStreamer cameras record (rows inserted and
/// completed meanwhile) restores, through the restore path of the API and the command (staged while recording, swapped
/// in at the next start), to a database that passes integrity_check and lists the same recording rows as the live
/// database had at that moment; the replaced database is kept whole.
/// </summary>
[Collection("recording")]
public sealed class BackupWhileRecordingTests(ITestOutputHelper output)
{
    private const int SegmentSeconds = 2;
    private const int Cameras = 4;

    [Fact]
    public async Task A_backup_taken_while_four_cameras_record_restores_with_the_same_rows()
    {
        var cameras = Enumerable.Range(0, Cameras)
            .Select(_ => GstCamera.Start(new GstCameraOptions { Audio = "none", Width = 320, Height = 180, Fps = 10, Gop = 10 }))
            .ToList();
        try
        {
            await using var h = await RecordingHarness.StartAsync(cameras.Select((c, i) => new StreamConfig
            {
                Name = "cam" + i, Url = c.Url, Record = true, SegmentDuration = SegmentSeconds,
            }).ToArray());
            for (var i = 0; i < Cameras; i++)
            {
                await h.WaitForCompleteAsync("cam" + i, 1, TimeSpan.FromSeconds(40));
            }

            // Several backups while the recorders keep inserting and completing rows; the last one is restored.
            var backup = new DatabaseBackup(h.Database, new ConfigSnapshots(h.Config));
            var copy = Path.Combine(backup.Folder, "while-recording.db");
            for (var round = 0; round < 3; round++)
            {
                await backup.BackupToAsync(copy);
                await Task.Delay(TimeSpan.FromSeconds(SegmentSeconds));
            }
            var copied = await RowsAsync(copy);

            // Restored as POST /api/system/restore and `lightnvr db restore` do it: checked and staged while the
            // cameras still record, swapped in at the next start (DatabaseMigrationService runs ApplyPendingAsync).
            var restore = new DatabaseRestore(h.Database, new ConfigSnapshots(h.Config));
            await using (var upload = File.OpenRead(copy))
            {
                var check = await restore.StageAsync(upload);
                Assert.Equal(copied.Count, check.Recordings);
            }
            var liveAfter = await RowsAsync(h.Database.Path);
            await h.StopAsync();
            var liveAtStop = await RowsAsync(h.Database.Path);
            var outcome = await DatabaseRestore.ApplyPendingAsync(h.Database.Path, TimeProvider.System);
            Assert.True(outcome is { Applied: true }, outcome?.Error);

            var restoredPath = h.Database.Path;
            var restored = new Database(restoredPath);
            await restored.MigrateAsync(TimeProvider.System); // same schema version: nothing to apply, opens cleanly
            Assert.Equal("ok", await DatabaseBackup.CheckFileAsync(restoredPath));
            var restoredRows = await RowsAsync(restoredPath);
            Assert.Equal(copied, restoredRows);
            Assert.Equal(liveAtStop, await RowsAsync(Path.Combine(outcome!.Kept, Path.GetFileName(restoredPath)))); // kept, not lost

            // The same rows as the live database at that moment: every row up to the copy's newest id is there, with
            // the same file and start; complete rows are unchanged since (open ones may have completed after the copy).
            var maxId = copied.Max(r => r.Id);
            Assert.Equal(liveAfter.Where(r => r.Id <= maxId).Select(r => (r.Id, r.Stream, r.File, r.Start)),
                copied.Select(r => (r.Id, r.Stream, r.File, r.Start)));
            foreach (var row in copied.Where(r => r.Complete))
            {
                Assert.Equal(row, liveAfter.Single(l => l.Id == row.Id));
            }
            Assert.All(Enumerable.Range(0, Cameras), i => Assert.Contains(copied, r => r.Stream == "cam" + i && r.Complete));
            Assert.True(liveAfter.Count >= copied.Count, "no row of the live database is lost");
            output.WriteLine($"backup: {copied.Count} rows ({copied.Count(r => r.Complete)} complete, {copied.Count(r => !r.Complete)} open); " +
                $"live afterwards: {liveAfter.Count}; copy {new FileInfo(copy).Length} bytes");
        }
        finally
        {
            cameras.ForEach(c => c.Dispose());
        }
    }

    private sealed record Row(long Id, string Stream, string File, long Start, long? End, long Size, bool Complete);

    /// <summary>Every recording row of a database file, read with a connection of the test's own (read-only).</summary>
    private static async Task<List<Row>> RowsAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, stream_name, file_path, start_time, end_time, size_bytes, is_complete FROM recordings ORDER BY id";
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? 0 : reader.GetInt64(5), reader.GetInt64(6) != 0));
        }
        return rows;
    }
}
