using System.Diagnostics;

namespace LightNvr.Interop.Tests.Support;

/// <summary>One message as <c>mosquitto_sub -F '%r|%q|%t|%p'</c> printed it.</summary>
public sealed record MqttLine(bool Retained, int Qos, string Topic, string Payload);

/// <summary>
/// <c>mosquitto_sub</c> as the independent client that checks what the server published: QoS 1, a persistent session
/// (<c>-c -i ID</c>) so messages published while it is reconnecting after a broker restart are kept for it, every
/// message one line (topic filters chosen so no binary payload is printed). Dispose stops it.
/// </summary>
public sealed class MosquittoSub : IDisposable
{
    private readonly List<MqttLine> _lines = [];
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly Process _process;

    public MosquittoSub(int port, string[] topics, string[]? extra = null, string? id = null)
    {
        var psi = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1",
            "-c", "-i", id ?? "check-" + Guid.NewGuid().ToString("N")[..8], "-F", "%r|%q|%t|%p", .. extra ?? []])
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var t in topics)
        {
            psi.ArgumentList.Add("-t");
            psi.ArgumentList.Add(t);
        }
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Split('|', 4) is [var r, var q, var topic, var payload])
            {
                lock (_lines)
                {
                    _lines.Add(new MqttLine(r == "1", int.Parse(q, System.Globalization.CultureInfo.InvariantCulture), topic, payload));
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.Append(e.Data).Append('\n');
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<MqttLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
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

    /// <summary>Waits until a message matches (from the start), up to <paramref name="seconds"/>.</summary>
    public async Task<MqttLine> WaitForAsync(Func<MqttLine, bool> match, string what, int seconds = 30, Func<string>? context = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            Assert.True(deadline.Elapsed.TotalSeconds < seconds,
                $"no {what} within {seconds} s; received:\n{string.Join('\n', Lines.Select(l => $"{l.Topic} {l.Payload}"))}\n{Stderr}{context?.Invoke()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages match; returns how many match then.</summary>
    public async Task<int> WaitForCountAsync(Func<MqttLine, bool> match, int count, string what, int seconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (Lines.Count(match) < count)
        {
            Assert.True(deadline.Elapsed.TotalSeconds < seconds, $"fewer than {count} {what} within {seconds} s; received:\n" +
                string.Join('\n', Lines.Select(l => $"{l.Topic} {l.Payload}")));
            await Task.Delay(100);
        }
        return Lines.Count(match);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
