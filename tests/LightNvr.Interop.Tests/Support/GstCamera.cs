using System.Diagnostics;

namespace LightNvr.Interop.Tests.Support;

/// <summary>Options of tests/cameras/rtsp_camera.py (GStreamer's RTSP server with a live test picture).</summary>
public sealed record GstCameraOptions
{
    public string Video { get; init; } = "h264";   // h264 | h265
    public string Audio { get; init; } = "aac";    // aac | pcmu | pcma | none
    public int Width { get; init; } = 640;
    public int Height { get; init; } = 360;
    public int Fps { get; init; } = 15;
    public int Gop { get; init; } = 15;             // keyframe interval in frames
    public int BFrames { get; init; }
    public string Auth { get; init; } = "none";     // none | basic | digest
    public string User { get; init; } = "admin";
    public string Password { get; init; } = "secret";
    public string Transports { get; init; } = "tcp,udp";
    public int ConfigInterval { get; init; } = 1;
    public string Path { get; init; } = "cam";
    public string? Image { get; init; }             // a still picture shown instead of the test pattern
    public string? TlsCert { get; init; }           // PEM certificate: RTSP over TLS (rtsps://) only
    public string? TlsKey { get; init; }
    public string Backchannel { get; init; } = "none"; // none | pcmu | pcma: an ONVIF backchannel track
    public string? BackchannelWav { get; init; }       // where the camera writes what it hears
}

/// <summary>
/// A real RTSP camera for a test: starts the GStreamer script on a free port and waits until it listens.
/// Dispose stops it (the "camera gone" case is <see cref="Stop"/>, and <see cref="Restart"/> brings it back on the
/// same port).
/// </summary>
public sealed class GstCamera : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private Process? _process;

    private GstCamera(GstCameraOptions options, int port)
    {
        Options = options;
        Port = port;
    }

    public GstCameraOptions Options { get; }

    public int Port { get; }

    /// <summary>rtsp://127.0.0.1:PORT/PATH (rtsps:// with a TLS certificate), without credentials.</summary>
    public string Url => $"{(Options.TlsCert is null ? "rtsp" : "rtsps")}://127.0.0.1:{Port}/{Options.Path}";

    /// <summary>The URL with the camera's credentials in the userinfo part.</summary>
    public string UrlWithCredentials => $"rtsp://{Options.User}:{Options.Password}@127.0.0.1:{Port}/{Options.Path}";

    public static GstCamera Start(GstCameraOptions? options = null)
    {
        var camera = new GstCamera(options ?? new GstCameraOptions(), FreePort.Next());
        camera.Restart();
        return camera;
    }

    public void Restart()
    {
        Stop();
        var o = Options;
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     RepoPaths.CameraScript, "--port", Port.ToString(), "--path", o.Path, "--video", o.Video,
                     "--audio", o.Audio, "--width", o.Width.ToString(), "--height", o.Height.ToString(),
                     "--fps", o.Fps.ToString(), "--gop", o.Gop.ToString(), "--bframes", o.BFrames.ToString(),
                     "--auth", o.Auth, "--user", o.User, "--password", o.Password, "--transports", o.Transports,
                     "--config-interval", o.ConfigInterval.ToString(), "--bitrate", "600",
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        if (o.Image is { } image)
        {
            psi.ArgumentList.Add("--image");
            psi.ArgumentList.Add(image);
        }

        if (o.TlsCert is { } cert)
        {
            psi.ArgumentList.Add("--tls-cert");
            psi.ArgumentList.Add(cert);
            psi.ArgumentList.Add("--tls-key");
            psi.ArgumentList.Add(o.TlsKey ?? throw new InvalidOperationException("TlsCert needs TlsKey"));
        }

        if (o.Backchannel != "none")
        {
            psi.ArgumentList.Add("--backchannel");
            psi.ArgumentList.Add(o.Backchannel);
            if (o.BackchannelWav is { } wav)
            {
                psi.ArgumentList.Add("--backchannel-wav");
                psi.ArgumentList.Add(wav);
            }
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start rtsp_camera.py");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(StartTimeout) || ready.Result is not { } line || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            try { process.Kill(true); } catch (InvalidOperationException) { }
            throw new InvalidOperationException($"camera did not start on port {Port}: {(ready.IsCompleted ? ready.Result : "timeout")}");
        }

        _process = process;
    }

    public void Stop()
    {
        if (_process is { } p)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(true);
                    p.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
            _process = null;
        }
    }

    public void Dispose() => Stop();
}
