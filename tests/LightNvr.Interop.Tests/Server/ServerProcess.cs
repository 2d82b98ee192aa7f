using System.Diagnostics;
using System.Text;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Server;

/// <summary>
/// The real server (<c>dotnet lightnvr.dll</c> from this test's output folder) started as a child process with a
/// config file in its own temp folder. Dispose kills it if a test left it running and deletes the folder.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private readonly bool _ownsFolder;

    private ServerProcess(string folder, int port, Process process, bool ownsFolder)
    {
        _ownsFolder = ownsFolder;
        Folder = folder;
        Port = port;
        Process = process;
    }

    public string Folder { get; }

    public int Port { get; }

    public Process Process { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string PidFile => Path.Combine(Folder, "run", "lightnvr.pid");

    public string LogFile => Path.Combine(Folder, "logs", "lightnvr.log");

    public string ConfigFile => Path.Combine(Folder, "lightnvr.ini");

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "lightnvr.dll");

    /// <summary>A config as the issue asks for: web port, bind_ip, database and storage paths, admin, rtsp_port.</summary>
    public static string DefaultIni(int port, string extra = "") => $"""
        ; written by ServerProcessTests
        [general]
        pid_file = run/lightnvr.pid
        log_file = logs/lightnvr.log
        log_level = 2
        [web]
        port = {port}
        bind_ip = 127.0.0.1
        username = admin
        password = test-Password-1
        [database]
        path = db/lightnvr.db
        [storage]
        path = recordings
        [go2rtc]
        rtsp_port = {FreePort.Next()}
        {extra}
        """;

    public static ServerProcess Start(Func<int, string>? ini = null, params string[] extraArgs)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-server-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        File.WriteAllText(Path.Combine(folder, "lightnvr.ini"), (ini ?? (p => DefaultIni(p)))(port));
        return Launch(folder, port, ["-c", Path.Combine(folder, "lightnvr.ini"), .. extraArgs], ownsFolder: true);
    }

    /// <summary>A process in a folder; <paramref name="ownsFolder"/> = delete it on dispose (false for a second instance).</summary>
    public static ServerProcess Launch(string folder, int port, string[] args, bool ownsFolder = false)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ServerDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("LIGHTNVR_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }

        var process = Process.Start(psi)!;
        var server = new ServerProcess(folder, port, process, ownsFolder);
        process.OutputDataReceived += (_, e) => server.Append(server._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(server._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public void Signal(string signal, int? pid = null)
    {
        using var kill = Process.Start("/bin/kill", [$"-{signal}", (pid ?? Process.Id).ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            return false;
        }

        Process.WaitForExit(); // drains the redirected output
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
        if (!_ownsFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.Append(line).Append('\n');
        }
    }
}
