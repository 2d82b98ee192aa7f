using System.Globalization;

namespace LightNvr.Hosting;

/// <summary>
/// <c>[general] pid_file</c>: written at start (folder created), removed on exit if it still holds our PID. Start-up
/// is refused when the file names a live process that is a lightnvr (a stale file from a crash is replaced).
/// </summary>
public sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly int _pid;

    private PidFile(string path, int pid)
    {
        _path = path;
        _pid = pid;
    }

    /// <summary>Writes the file; throws <see cref="InvalidOperationException"/> when another lightnvr owns it.</summary>
    public static PidFile Acquire(string path, int pid)
    {
        if (ReadPid(path) is int other && other != pid && IsLightNvr(other))
        {
            throw new InvalidOperationException($"another lightnvr (PID {other}) is running with PID file {path}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        return new PidFile(path, pid);
    }

    public static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Alive and its command line mentions lightnvr (the apphost or <c>dotnet lightnvr.dll</c>).</summary>
    public static bool IsLightNvr(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("lightnvr", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (ReadPid(_path) == _pid)
            {
                File.Delete(_path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done on the way out; the next start replaces a stale file.
        }
    }
}
