namespace LightNvr.Media.Tests.Rtsp;

/// <summary>Reads files under tests/LightNvr.Media.Tests/TestData from the source tree (no copy to the output).</summary>
internal static class TestFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "LightNvr.Media.Tests", "TestData");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/LightNvr.Media.Tests/TestData not found above " + AppContext.BaseDirectory);
    });

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Root.Value, relativePath));

    public static IEnumerable<string> List(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(Root.Value, folder), pattern)
            .Select(f => Path.GetRelativePath(Root.Value, f))
            .Order(StringComparer.Ordinal);
}
