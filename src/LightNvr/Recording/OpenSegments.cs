namespace LightNvr.Recording;

/// <summary>
/// The segment files recorders have open, for <c>POST /api/recordings/sync</c>, which must never adopt one. A recorder
/// says <see cref="BeginCreate"/> before it creates a file and ends that scope once the file's row is inserted (or the
/// attempt failed), so from the file's first byte until its row exists it is covered; <see cref="Add"/> and
/// <see cref="Remove"/> bracket the file from its creation until its row and file are final. Thread-safe.
/// </summary>
public sealed class OpenSegments
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private int _creating;

    /// <summary>True while a recorder is between creating a file and inserting its row.</summary>
    public bool AnyCreating => Volatile.Read(ref _creating) > 0;

    /// <summary>Marks a file about to be created; dispose once its row is inserted (or creation failed).</summary>
    public IDisposable BeginCreate()
    {
        Interlocked.Increment(ref _creating);
        return new Creating(this);
    }

    public void Add(string path)
    {
        lock (_lock)
        {
            _paths.Add(path);
        }
    }

    public void Remove(string path)
    {
        lock (_lock)
        {
            _paths.Remove(path);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> may be a recorder's open segment: it is open, or some recorder is creating a
    /// file right now (its name is not known yet).
    /// </summary>
    public bool MayBeOpen(string path)
    {
        if (AnyCreating)
        {
            return true;
        }

        lock (_lock)
        {
            return _paths.Contains(path);
        }
    }

    private sealed class Creating(OpenSegments owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._creating);
            }
        }
    }
}
