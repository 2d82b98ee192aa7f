using LightNvr.Data;

namespace LightNvr.Import;

/// <summary>
/// A private copy of the upstream database in the temp folder, taken with SQLite's online backup (the upstream file is
/// only read, and may even be in use), deleted with its journal files when disposed.
/// </summary>
public sealed class ImportSnapshot : IAsyncDisposable
{
    private ImportSnapshot(string path) => Path = path;

    public string Path { get; }

    public static async Task<ImportSnapshot> TakeAsync(string source, CancellationToken ct)
    {
        var snapshot = new ImportSnapshot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lightnvr-import-{Guid.NewGuid():N}.db"));
        try
        {
            await UpstreamImportStore.SnapshotAsync(source, snapshot.Path, ct).ConfigureAwait(false);
            return snapshot;
        }
        catch
        {
            await snapshot.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", Path + "-journal" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }
}
