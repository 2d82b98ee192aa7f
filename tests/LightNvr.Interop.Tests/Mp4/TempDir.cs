namespace LightNvr.Interop.Tests.Mp4;

/// <summary>A temp folder for generated media, deleted afterwards (generated media is never committed).</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("lightnvr-mp4-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Set LIGHTNVR_KEEP_MEDIA=1 to keep the generated files for inspection.</summary>
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("LIGHTNVR_KEEP_MEDIA") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
        }
    }
}
