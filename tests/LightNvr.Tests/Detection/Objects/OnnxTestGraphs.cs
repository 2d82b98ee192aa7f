using System.Diagnostics;
using LightNvr.Testing;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// Builds the test ONNX graphs once per test class with tests/onnx/make_graphs.py (Debian's python3-onnx, run by
/// /usr/bin/python3) into a temp folder. The graphs are real ONNX models that ONNX Runtime loads and runs; their outputs
/// are constants with the boxes the tests expect (the script documents each).
/// </summary>
public sealed class OnnxTestGraphs : IDisposable
{
    private readonly TempFolder _folder = new("onnx");

    public OnnxTestGraphs()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot(), "tests", "onnx", "make_graphs.py"));
        psi.ArgumentList.Add(_folder.Path);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("make_graphs.py failed (scripts/install-deps.sh test installs python3-onnx): " + output);
        }
    }

    public string Folder => _folder.Path;

    public string this[string name] => Path.Combine(_folder.Path, name + ".onnx");

    public void Dispose() => _folder.Dispose();

    public static string RepoRoot()
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
