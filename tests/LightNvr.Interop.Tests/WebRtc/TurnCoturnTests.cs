using System.Diagnostics;
using System.Text;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live.WebRtc;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// The time-limited TURN credentials /api/ice-servers hands out (<see cref="TurnCredentials"/>) against a real
/// coturn 4.6 started with <c>use-auth-secret</c> + <c>static-auth-secret</c>: its own client
/// (<c>turnutils_uclient</c>) allocates a relay with them and echoes packets through it; a wrong credential and an
/// expired one are refused.
/// </summary>
public sealed class TurnCoturnTests(ITestOutputHelper output)
{
    private const string Secret = "coturn-shared-secret-42";

    [Fact]
    public void Coturn_allocates_a_relay_with_the_generated_credential_and_refuses_bad_or_expired_ones()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-coturn-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        var server = Start("turnserver",
            "--use-auth-secret", "--static-auth-secret=" + Secret, "--realm=lightnvr.test",
            "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
            "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--simple-log",
            "--userdb=" + Path.Combine(folder, "turndb"), "--log-file=" + Path.Combine(folder, "turn.log"),
            "--min-port=49152", "--max-port=65535");
        try
        {
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            WaitForBindingAnswer(port); // coturn opens its listeners a moment after start; the client retries nothing

            var (user, credential) = TurnCredentials.Create(Secret, "watcher", DateTimeOffset.UtcNow);
            var ok = Client(port, user, credential);
            output.WriteLine(ok.Output);
            Assert.True(ok.Output.Contains("tot_recv_msgs=2", StringComparison.Ordinal),
                "allocation and relayed echo with the generated credential: " + ok.Output);

            var wrong = Client(port, user, TurnCredentials.Create("another-secret", "watcher", DateTimeOffset.UtcNow).Credential);
            Assert.Contains("Cannot complete Allocation", wrong.Output);

            var (oldUser, oldCredential) = TurnCredentials.Create(Secret, "watcher",
                DateTimeOffset.UtcNow - TurnCredentials.Lifetime - TimeSpan.FromMinutes(1));
            var expired = Client(port, oldUser, oldCredential);
            Assert.Contains("Cannot complete Allocation", expired.Output);
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A plain STUN Binding request (RFC 8489 §6, no attributes) until coturn answers, at most 20 s.</summary>
    private static void WaitForBindingAnswer(int port)
    {
        using var udp = new System.Net.Sockets.UdpClient();
        udp.Client.ReceiveTimeout = 250;
        var request = new byte[20];
        request[1] = 0x01; // Binding request, length 0
        request[4] = 0x21; request[5] = 0x12; request[6] = 0xA4; request[7] = 0x42; // magic cookie
        System.Security.Cryptography.RandomNumberGenerator.Fill(request.AsSpan(8));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            udp.Send(request, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
            try
            {
                System.Net.IPEndPoint? from = null;
                if (udp.Receive(ref from) is [0x01, 0x01, ..])
                {
                    return;
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }

        throw new TimeoutException("coturn did not answer a STUN Binding request in 20 s");
    }

    private static (int Code, string Output) Client(int port, string user, string credential)
    {
        // -y: the client is its own peer (relay → itself); -n 1: one message; -c: no RTCP channel.
        var p = Start("turnutils_uclient", "-u", user, "-w", credential, "-y", "-n", "1", "-c", "-p",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1");
        var text = new StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill();
        }

        p.WaitForExit();
        lock (text)
        {
            return (p.ExitCode, text.ToString());
        }
    }

    private static Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }
}
