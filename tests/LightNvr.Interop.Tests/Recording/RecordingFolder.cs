namespace LightNvr.Interop.Tests.Recording;

/// <summary>A temp folder of one recording test (lightnvr-rec-*), deleted afterwards; LIGHTNVR_KEEP_MEDIA=1 keeps it.</summary>
internal sealed class RecordingFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lightnvr-rec-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

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
