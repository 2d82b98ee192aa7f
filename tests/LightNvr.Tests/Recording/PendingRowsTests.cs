using System.Text;
using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// The pending-row journal (docs/scale.md, database outage) on a real file: rows come back in order after a reopen,
/// a torn last line (a crash in the middle of an append) and a garbage line are skipped and never glued to the next
/// append, the cap refuses and frees, and dropping rows survives a reopen.
/// </summary>
public sealed class PendingRowsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string JournalPath => PendingRows.PathFor(_folder.Path, "node a/1");

    private static PendingRow Row(int n, long? rowId = null) => new()
    {
        RowId = rowId,
        Recording = new RecordingRecord
        {
            StreamName = "cam" + n,
            FilePath = $"/rec/cam{n}/recording_20260101_0000{n:00}.mp4",
            StartTime = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000 + n * 6_000),
            EndTime = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_606_000 + n * 6_000),
            SizeBytes = 1000 + n,
            Width = 320,
            Height = 180,
            Fps = 5,
            Codec = "h264",
            TriggerType = "scheduled",
            NodeId = "node a/1",
            LeaseEpoch = n % 2 == 0 ? n : null,
        },
    };

    private PendingRows Open(int max = PendingRows.MaxRows) => PendingRows.Open(JournalPath, NullLogger.Instance, max);

    [Fact]
    public void Rows_come_back_in_order_with_every_field_after_a_reopen()
    {
        using (var journal = Open())
        {
            for (var n = 1; n <= 3; n++)
            {
                Assert.True(journal.TryAdd(Row(n, n == 2 ? 42 : null)));
            }
        }

        using var again = Open();
        var rows = again.Snapshot();
        Assert.Equal(["cam1", "cam2", "cam3"], rows.Select(r => r.Recording.StreamName));
        Assert.Equal(Row(2, 42).ToJsonLine(), rows[1].ToJsonLine());
        Assert.Equal(42, rows[1].RowId);
        Assert.Null(rows[0].RowId);
        Assert.Equal(2, rows[1].Recording.LeaseEpoch);
        Assert.Null(rows[2].Recording.LeaseEpoch);
        Assert.Equal(Path.Combine(_folder.Path, ".pending-rows", "node_a_1.jsonl"), again.Path);
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_the_next_append_starts_a_line_of_its_own()
    {
        using (var journal = Open())
        {
            journal.TryAdd(Row(1));
            journal.TryAdd(Row(2));
        }
        var whole = Row(3).ToJsonLine();
        File.AppendAllText(JournalPath, whole[..(whole.Length / 2)], Encoding.UTF8); // the crash: half a line, no newline

        using (var journal = Open())
        {
            Assert.Equal(["cam1", "cam2"], journal.Snapshot().Select(r => r.Recording.StreamName));
            Assert.True(journal.TryAdd(Row(4)));
        }

        using var again = Open();
        Assert.Equal(["cam1", "cam2", "cam4"], again.Snapshot().Select(r => r.Recording.StreamName));
    }

    [Fact]
    public void A_whole_line_that_is_no_entry_is_skipped()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.GetDirectoryName(JournalPath)!).FullName, Path.GetFileName(JournalPath)),
            Row(1).ToJsonLine() + "\n{\"stream\":\"x\"}\n\0\0\0\n" + Row(2).ToJsonLine() + "\n");
        using var journal = Open();
        Assert.Equal(["cam1", "cam2"], journal.Snapshot().Select(r => r.Recording.StreamName));
    }

    [Fact]
    public void A_full_queue_refuses_until_rows_leave_it()
    {
        using var journal = Open(max: 2);
        Assert.True(journal.TryAdd(Row(1)));
        Assert.True(journal.TryAdd(Row(2)));
        Assert.False(journal.TryAdd(Row(3)));
        Assert.Equal(2, journal.Count);

        journal.RemoveFirst(1);
        Assert.True(journal.TryAdd(Row(3)));
        Assert.Equal(["cam2", "cam3"], journal.Snapshot().Select(r => r.Recording.StreamName));
    }

    [Fact]
    public void Dropped_rows_stay_dropped_after_a_reopen_and_appends_follow_the_rest()
    {
        using (var journal = Open())
        {
            for (var n = 1; n <= 4; n++)
            {
                journal.TryAdd(Row(n));
            }
            journal.RemoveFirst(3);
            journal.TryAdd(Row(5));
        }

        using var again = Open();
        Assert.Equal(["cam4", "cam5"], again.Snapshot().Select(r => r.Recording.StreamName));
        Assert.False(File.Exists(JournalPath + ".tmp"));
    }
}
