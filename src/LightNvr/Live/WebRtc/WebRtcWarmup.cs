using System.Security.Cryptography;
using LightNvr.Config;
using LightNvr.Media.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// Warms WebRTC up in the background at start, when WebRTC is on: loads (or makes) the DTLS certificate and runs one
/// DTLS-SRTP handshake in memory (<see cref="DtlsSrtpClient"/> against <see cref="DtlsSrtpServer"/>) plus an SRTP
/// protect, so the first viewer's handshake runs compiled code. Measured: the first viewer of a fresh server spent
/// ~0.5 s more from answer to SRTP keys than the next ones (docs/webrtc.md "First picture").
/// </summary>
public sealed partial class WebRtcWarmup(LightNvrConfig config, WebRtcSessions sessions, TimeProvider time,
    ILogger<WebRtcWarmup> logger) : IHostedService
{
    /// <summary>
    /// Wait after start before warming up: start-up work (cameras connecting, migrations) goes first, and a host that
    /// stops sooner (a unit test's) never pays for it.
    /// </summary>
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    /// <summary>Completes when the warm-up has run (or was skipped); tests wait for it.</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (config.Go2rtc.WebrtcEnabled && !config.Web.WebrtcDisabled)
        {
            _run = WarmAsync(_stop.Token);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }

    private async Task WarmAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Delay, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        sessions.StartTransport(); // the UDP port (and its STUN probe, ICE-TCP) open now, not at the first viewer
        await Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .ConfigureAwait(false);
    }

    private void Run()
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            var server = sessions.Identity;
            var client = DtlsIdentity.CreateEphemeral(TimeProvider.System);
            var (serverEnd, clientEnd) = MemoryDatagramTransport.CreatePair();
            var dtlsClient = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), client, SHA256.HashData(server.CertificateDer),
                [SrtpProfile.AeadAes128Gcm]); // what browsers negotiate
            var clientSide = Task.Run(() => new DtlsClientProtocol().Connect(dtlsClient, clientEnd));
            var dtlsServer = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), server, SHA256.HashData(client.CertificateDer));
            new DtlsServerProtocol().Accept(dtlsServer, serverEnd);
            clientSide.GetAwaiter().GetResult();
            serverEnd.Close();
            var keys = dtlsServer.KeyingMaterial!;
            var (receive, send) = SrtpContext.ForServer(dtlsServer.Profile, keys);
            receive.Dispose();
            using var srtp = send;
            Span<byte> packet = stackalloc byte[172];
            packet[0] = 0x80;
            packet[1] = 96;
            Span<byte> protectedPacket = stackalloc byte[172 + SrtpContext.MaxRtpOverhead];
            srtp.ProtectRtp(packet, protectedPacket);
            LogWarm((long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is TlsException or IOException or InvalidOperationException or CryptographicException)
        {
            LogFailed(e.Message); // only a slower first viewer: the real handshakes report their own errors
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC warm-up: DTLS handshake in memory took {Ms} ms")]
    private partial void LogWarm(long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC warm-up failed: {Reason}")]
    private partial void LogFailed(string reason);
}
