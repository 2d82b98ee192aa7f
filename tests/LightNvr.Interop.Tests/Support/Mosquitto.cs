using System.Diagnostics;
using System.Net.Sockets;

namespace LightNvr.Interop.Tests.Support;

/// <summary>
/// A real mosquitto 2.0 broker for a test, on a free loopback port with its config in a temp folder: anonymous or a
/// password file, optionally TLS (certificates made by <see cref="TestCertificates"/>), persistence on (autosave every
/// second) so a session and retained messages survive <see cref="Kill"/> + <see cref="Start"/>, like a broker with a
/// disk. Dispose kills it and deletes the folder.
/// </summary>
public sealed class Mosquitto : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private Process? _process;

    private Mosquitto(string folder, int port)
    {
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    public string Log => File.Exists(Path.Combine(Folder, "broker.log")) ? File.ReadAllText(Path.Combine(Folder, "broker.log")) : "";

    /// <param name="users">user → password; none = anonymous allowed.</param>
    /// <param name="tls">The certificates when the listener speaks TLS.</param>
    public static Mosquitto Create(IReadOnlyDictionary<string, string>? users = null, TestCertificates? tls = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var broker = new Mosquitto(folder, FreePort.Next());
        var conf = new List<string>
        {
            $"listener {broker.Port} 127.0.0.1",
            // Run as the test's user: as root, mosquitto would switch to user "mosquitto", which cannot write the temp folder.
            $"user {Environment.UserName}",
            "persistence true",
            $"persistence_location {folder}/",
            "autosave_interval 1",
            $"log_dest file {folder}/broker.log",
            "log_type all",
        };
        if (users is { Count: > 0 })
        {
            var passwd = Path.Combine(folder, "passwd");
            foreach (var (user, password) in users)
            {
                Run("mosquitto_passwd", File.Exists(passwd) ? ["-b", passwd, user, password] : ["-b", "-c", passwd, user, password]);
            }
            conf.Add("allow_anonymous false");
            conf.Add($"password_file {passwd}");
        }
        else
        {
            conf.Add("allow_anonymous true");
        }
        if (tls is not null)
        {
            conf.Add($"cafile {tls.CaFile}");
            conf.Add($"certfile {tls.ServerCertFile}");
            conf.Add($"keyfile {tls.ServerKeyFile}");
        }
        File.WriteAllLines(Path.Combine(folder, "mosquitto.conf"), conf);
        broker.Start();
        return broker;
    }

    /// <summary>Starts (or restarts, same port and persistence) the broker and waits until it accepts connections.</summary>
    public void Start()
    {
        var psi = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Path.Combine(Folder, "mosquitto.conf"));
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>SIGKILL: the broker vanishes without a goodbye (what it has autosaved survives).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {err.Result}");
        }
    }
}
