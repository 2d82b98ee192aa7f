namespace LightNvr.Testing;

/// <summary>
/// The tests' one temp-folder helper: a fresh folder <c>/tmp/lightnvr-&lt;prefix&gt;-&lt;random&gt;</c>, deleted on
/// dispose (generated media and databases are never committed). <c>LIGHTNVR_KEEP_MEDIA=1</c> keeps it for inspection.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "test")
    {
        Path = Directory.CreateTempSubdirectory("lightnvr-" + prefix + "-").FullName;
    }

    /// <summary>
    /// Runs before any folder is deleted. A test project that opens SQLite files sets it once (a module initializer)
    /// to clear the connection pools, which would otherwise keep the deleted files open.
    /// </summary>
    public static event Action? Deleting;

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the folder (nothing is created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> (creating its folders) and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        Deleting?.Invoke();
        if (Environment.GetEnvironmentVariable("LIGHTNVR_KEEP_MEDIA") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (a child process not yet gone): the system's temp cleaning takes it.
        }
    }
}
