using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Storage;
using LightNvr.Tests.Storage;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// D4's order in <see cref="RecordingFiles"/>: file before row, mark before unlink. A spy locator sees the database at
/// the moment of the unlink; a locator that throws stands for the process dying at that step, after which a restart's
/// <see cref="RecordingRecovery"/> must finish the job.
/// </summary>
public sealed class RecordingFileLifecycleTests
{
    [Fact]
    public async Task Add_refuses_a_row_for_a_file_that_is_not_on_disk()
    {
        await using var f = await StorageFixture.CreateAsync();
        var missing = Path.Combine(f.Config.Storage.Mp4Path, "cam1", "recording_20260101_000000.mp4");

        await Assert.ThrowsAsync<FileNotFoundException>(() => f.Files.AddAsync(Row(missing, f)));

        Assert.Empty(await f.Recordings.ListIncompleteAsync());
    }

    [Fact]
    public async Task Add_inserts_the_open_row_of_a_file_on_disk()
    {
        await using var f = await StorageFixture.CreateAsync();
        var path = Path.Combine(f.Folder, "recordings", "mp4", "recording_20260101_000000.mp4");
        await File.WriteAllBytesAsync(path, new byte[10]);

        var id = await f.Files.AddAsync(Row(path, f));

        Assert.Equal(path, (await f.Recordings.GetAsync(id))!.FilePath);
    }

    [Fact]
    public async Task Remove_marks_the_row_before_the_unlink_and_forgets_it_after()
    {
        await using var f = await StorageFixture.CreateAsync();
        var id = await f.AddAsync("cam1", TimeSpan.FromDays(1));
        var path = (await f.Recordings.GetAsync(id))!.FilePath;
        var spy = new SpyLocator(f.Root, f.Recordings);

        Assert.True(await Files(f, spy).RemoveOneAsync(id, default));

        // At the unlink the row was marked and the file there; after the unlink (derived files) the row still was.
        Assert.Equal(["resolve: row marked, file present", "derived: row marked, file gone"], spy.Seen);
        Assert.False(File.Exists(path));
        Assert.False(await f.ExistsAsync(id));
    }

    [Fact]
    public async Task Discard_of_an_open_row_marks_it_before_the_unlink()
    {
        await using var f = await StorageFixture.CreateAsync();
        var id = await f.AddAsync("cam1", TimeSpan.FromMinutes(1), complete: false);
        var path = (await f.Recordings.GetAsync(id))!.FilePath;
        var spy = new SpyLocator(f.Root, f.Recordings);

        await Files(f, spy).DiscardAsync(id, path);

        Assert.Equal(["resolve: row marked, file present"], spy.Seen);
        Assert.False(File.Exists(path));
        Assert.False(await f.ExistsAsync(id));
    }

    [Theory]
    [InlineData(CrashPoint.BeforeUnlink)]
    [InlineData(CrashPoint.AfterUnlink)]
    public async Task A_crash_inside_a_removal_leaves_a_hidden_row_that_recovery_finishes(CrashPoint point)
    {
        await using var f = await StorageFixture.CreateAsync();
        var id = await f.AddAsync("cam1", TimeSpan.FromDays(1));
        var keep = await f.AddAsync("cam1", TimeSpan.FromHours(1));
        var path = (await f.Recordings.GetAsync(id))!.FilePath;

        await Assert.ThrowsAsync<CrashException>(() => Files(f, new CrashingLocator(f.Root, point)).RemoveAsync([id], default));

        // Never a listed row without its file: the row is marked (hidden) whether or not the file went.
        Assert.Equal(point == CrashPoint.BeforeUnlink, File.Exists(path));
        Assert.True((await f.Recordings.GetAsync(id))!.Deleting);
        Assert.Equal(1, (await f.Recordings.ListAsync(new RecordingQuery())).Total);

        var report = await Recovery(f).RunAsync(default);

        Assert.Equal(1, report.MarkedFinished);
        Assert.False(File.Exists(path));
        Assert.False(await f.ExistsAsync(id));
        Assert.True(await f.ExistsAsync(keep));
    }

    [Fact]
    public async Task A_crash_inside_a_discard_of_an_open_row_is_finished_not_repaired()
    {
        await using var f = await StorageFixture.CreateAsync();
        var id = await f.AddAsync("cam1", TimeSpan.FromMinutes(1), complete: false);
        var path = (await f.Recordings.GetAsync(id))!.FilePath;

        await Assert.ThrowsAsync<CrashException>(
            () => Files(f, new CrashingLocator(f.Root, CrashPoint.BeforeUnlink)).DiscardAsync(id, path));
        Assert.True(File.Exists(path));

        var report = await Recovery(f).RunAsync(default);

        Assert.Equal(1, report.MarkedFinished);
        Assert.Equal(0, report.Repaired + report.Failed);
        Assert.False(File.Exists(path));
        Assert.False(await f.ExistsAsync(id));
    }

    public enum CrashPoint { BeforeUnlink, AfterUnlink }

    private static RecordingRecord Row(string path, StorageFixture f) =>
        new() { StreamName = "cam1", FilePath = path, StartTime = f.Time.GetUtcNow() };

    private static RecordingFiles Files(StorageFixture f, IRecordingFileLocator locator) =>
        new(f.Recordings, f.Retention, locator, NullLogger<RecordingFiles>.Instance);

    private static RecordingRecovery Recovery(StorageFixture f) =>
        new(f.Recordings, f.Files, f.Config.Storage, f.Time, NullLogger<RecordingRecovery>.Instance);

    private sealed class CrashException : Exception;

    /// <summary>The process "dies" as the file is about to be unlinked, or just after it was.</summary>
    private sealed class CrashingLocator(StorageRoot root, CrashPoint point) : IRecordingFileLocator
    {
        private readonly RecordingFileLocator _inner = new(root);

        public string? Resolve(string rowPath) =>
            point == CrashPoint.BeforeUnlink ? throw new CrashException() : _inner.Resolve(rowPath);

        public IEnumerable<string> DerivedFiles(long id) => throw new CrashException(); // runs after the unlink
    }

    /// <summary>Records the row's and the file's state when <see cref="RecordingFiles"/> asks for the path, and after.</summary>
    private sealed class SpyLocator(StorageRoot root, RecordingStore store) : IRecordingFileLocator
    {
        private readonly RecordingFileLocator _inner = new(root);
        private string _path = "";

        public List<string> Seen { get; } = [];

        public string? Resolve(string rowPath)
        {
            _path = rowPath;
            Seen.Add("resolve: " + State());
            return _inner.Resolve(rowPath);
        }

        public IEnumerable<string> DerivedFiles(long id)
        {
            Seen.Add("derived: " + State());
            return _inner.DerivedFiles(id);
        }

        private string State()
        {
            var marked = store.ListMarkedAsync(100).GetAwaiter().GetResult().Any(r => r.FilePath == _path);
            return (marked ? "row marked" : "row not marked") + ", file " + (File.Exists(_path) ? "present" : "gone");
        }
    }
}
