using System.Security.Cryptography;
using LightNvr.Config;
using LightNvr.Media.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// Gets WebRTC ready when WebRTC is on, in two steps. At start (after <see cref="Delay"/>) it opens the transport: the
/// shared UDP port (so a taken port is reported at start), the STUN probe and the ICE-TCP listener. When someone first
/// lists the cameras (<see cref="Prepare"/>, called by <c>GET /api/streams</c>, which every UI page asks before it
/// opens a player) it loads (or makes) the DTLS certificate and runs one DTLS-SRTP handshake in memory
/// (<see cref="DtlsSrtpClient"/> against <see cref="DtlsSrtpServer"/>) plus an SRTP protect, so the first viewer's
/// handshake runs compiled code: without it the first viewer of a fresh server spent ~0.5 s more from answer to SRTP
/// keys. The handshake is not run at start because it maps BouncyCastle and its compiled code (about 14 MB of idle
/// RSS, docs/BENCHMARKS.md "Idle memory"): a box that only records, or that nobody looks at, never pays for it.
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
    private Task? _transport;
    private Task? _handshake;

    private bool Enabled => config.Go2rtc.WebrtcEnabled && !config.Web.WebrtcDisabled;

    /// <summary>Completes when the handshake warm-up has run (or was never asked for); tests wait for it.</summary>
    public Task Completion => Volatile.Read(ref _handshake) ?? Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            _transport = OpenTransportAsync(_stop.Token);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the handshake warm-up once, in the background (later calls do nothing): someone is about to watch.
    /// </summary>
    public void Prepare()
    {
        if (!Enabled || _stop.IsCancellationRequested || Volatile.Read(ref _handshake) is not null)
        {
            return;
        }

        var run = new Task(Run, TaskCreationOptions.LongRunning);
        if (Interlocked.CompareExchange(ref _handshake, run, null) is null)
        {
            run.Start(TaskScheduler.Default);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }

    private async Task OpenTransportAsync(CancellationToken ct)
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
