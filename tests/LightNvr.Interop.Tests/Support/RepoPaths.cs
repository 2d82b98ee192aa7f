namespace LightNvr.Interop.Tests.Support;

/// <summary>Locates the repository from the test binary (the folder holding LightNvr.slnx).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string CameraScript => Path.Combine(Root, "tests", "cameras", "rtsp_camera.py");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LightNvr.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LightNvr.slnx not found above " + AppContext.BaseDirectory);
    }
}
