using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.IO;
using LightNvr.Live;
using LightNvr.Media;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// Makes and keeps the WebRTC sessions: checks the offer, subscribes to the stream's hub (the cached GOP first),
/// answers with the server's ICE credentials, certificate fingerprint and candidates (host: the address the client
/// reached the web server on, plus <c>[go2rtc] external_ip</c>; server-reflexive from <c>stun_server</c>; ICE-TCP
/// passive on <c>webrtc_tcp_port</c>), and starts the session; its transport is in <c>WebRtcSessions.Transport.cs</c>.
/// </summary>
public sealed partial class WebRtcSessions(LightNvrConfig config, LiveConsumers consumers, TimeProvider time,
    ILoggerFactory loggers, OpusTranscoders opus) : IAsyncDisposable
{
    /// <summary>
    /// WebRTC viewers at most: each has a socket, a DTLS thread and a hub queue; 128 is six times the 20 viewers
    /// per camera the issue asks for, and bounds what unauthenticated-looking floods of offers can take.
    /// </summary>
    public const int MaxSessions = 128;

    private readonly ConcurrentDictionary<string, WebRtcSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Stream name → the id of the session holding its two-way audio (one talker per stream).</summary>
    private readonly ConcurrentDictionary<string, string> _talkers = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<WebRtcSessions>();

    // For WebRtcSessions.Transport.cs (primary constructor parameters are in scope in this part only).
    private LightNvrConfig Config => config;

    private TimeProvider Time => time;

    private ILoggerFactory Loggers => loggers;
    private readonly Lazy<DtlsIdentity> _identity = new(() => DtlsIdentity.LoadOrCreate(DataFolder(config), time));

    public int Count => _sessions.Count;

    /// <summary>The certificate fingerprint in every answer (<c>sha-256 …</c>).</summary>
    public string Fingerprint => _identity.Value.Fingerprint;

    /// <summary>The server's DTLS certificate (loaded or made on first use).</summary>
    internal DtlsIdentity Identity => _identity.Value;

    /// <summary>The sessions now (a copy).</summary>
    public IReadOnlyList<WebRtcSession> All() => [.. _sessions.Values];

    public bool TryGet(string id, out WebRtcSession session) => _sessions.TryGetValue(id, out session!);

    /// <summary>
    /// Answers <paramref name="offer"/> for <paramref name="stream"/>: 400 malformed offer, 415 no H.264 (offer or
    /// camera), 503 no picture from the camera in time or too many sessions.
    /// </summary>
    /// <param name="mayTalk">
    /// The caller's role may talk to cameras (admin, user, api: the PTZ move rule); with <c>backchannel_enabled</c>
    /// on the stream, an offered sendrecv audio section becomes two-way audio (<see cref="WebRtcTalk"/>).
    /// </param>
    public async Task<WebRtcOfferResult> OfferAsync(CameraStream stream, string offer, IPAddress? localAddress,
        string? remote, string? userAgent, CancellationToken cancellationToken, bool mayTalk = false)
    {
        if (!config.Go2rtc.WebrtcEnabled || config.Web.WebrtcDisabled)
        {
            return WebRtcOfferResult.Refuse(403, "WebRTC is turned off ([go2rtc] webrtc_enabled / [web] webrtc_disabled)");
        }

        if (WebRtcAnswerBuilder.CheckOffer(offer) is { } refusal)
        {
            return WebRtcOfferResult.Refuse(refusal.ErrorStatus, refusal.Error!);
        }

        if (_sessions.Count >= MaxSessions)
        {
            return WebRtcOfferResult.Refuse(503, $"too many WebRTC sessions ({MaxSessions})");
        }

        var consumer = new LiveConsumer(stream.Name, "webrtc", "udp", remote, userAgent, time);
        var registration = consumers.Add(consumer);
        var subscription = LiveSubscriber.Subscribe(stream, consumer);
        var handedOver = false;
        var id = RandomToken(16);
        var talkHeld = false;
        try
        {
            var start = await LiveSubscriber.WaitForStartAsync(subscription, time, cancellationToken).ConfigureAwait(false);
            if (start is null)
            {
                return WebRtcOfferResult.Refuse(503, $"stream '{stream.Name}' sent no video in time ({stream.Status.State})");
            }

            var address = CandidateAddress(localAddress);
            var inbox = new IceInbox(RandomToken(8));
            IceRegistration? transport = null;
            try
            {
                transport = Attach(inbox);
                var port = transport.UdpPort;
                var hosts = HostAddresses(address);
                if (IPAddress.TryParse(config.Go2rtc.ExternalIp, out var external) && !hosts.Contains(external) &&
                    external.AddressFamily == address.AddressFamily)
                {
                    hosts.Add(external);
                }

                var local = new WebRtcLocalParameters(inbox.Ufrag, RandomToken(24), _identity.Value.Fingerprint,
                    [.. hosts.Select(h => new IPEndPoint(h, port))], (ulong)KernelRandom.GetInt32(1, int.MaxValue))
                {
                    ExtraCandidates = ExtraCandidates(transport, hosts),
                };
                // One talker per stream: the first session whose answer takes the microphone holds the stream's
                // backchannel until it ends (cameras take one backchannel connection); later offers get no talk.
                var mayTalkHere = mayTalk && stream.Config.BackchannelEnabled;
                talkHeld = mayTalkHere && _talkers.TryAdd(stream.Name, id);
                var negotiation = WebRtcAnswerBuilder.Negotiate(offer, start.Value.Tracks, local,
                    opusForAac: config.Go2rtc.WebrtcAacAudio == "opus", acceptTalk: talkHeld);
                if (!negotiation.Ok)
                {
                    transport.Dispose();
                    return WebRtcOfferResult.Refuse(negotiation.ErrorStatus, negotiation.Error!);
                }

                consumer.Codecs = string.Join(",", negotiation.Media.Select(m => m.Codec.ToString()));
                var talkRefused = mayTalkHere && !talkHeld && WebRtcAnswerBuilder.Negotiate(offer, start.Value.Tracks,
                    local, opusForAac: false, acceptTalk: true).Talk is not null
                    ? "another viewer of this stream is using two-way audio"
                    : null;
                talkHeld = negotiation.Talk is not null && talkHeld; // kept only when the answer took the microphone
                var session = new WebRtcSession(id, inbox, transport, stream, subscription, consumer, start.Value.First,
                    negotiation, local, _identity.Value,
                    TimeSpan.FromMilliseconds(config.Go2rtc.WebrtcConnectionTimeoutMs), ConsentTimeout, time,
                    loggers.CreateLogger<WebRtcSession>());
                _sessions[id] = session;
                if (negotiation.Media.Any(m => m.Codec == MediaCodec.Opus))
                {
                    session.AttachOpus(opus.Acquire(stream)); // AAC camera: its shared transcoder, released with the session
                }

                if (negotiation.Talk is { } talk)
                {
                    session.AttachTalk(new WebRtcTalk(stream, talk, loggers.CreateLogger<WebRtcTalk>()));
                }

                session.Start();
                handedOver = true;
                _ = session.Completion.ContinueWith(_ =>
                {
                    _sessions.TryRemove(id, out WebRtcSession? _);
                    registration.Dispose();
                    if (session.Talk is { } ended)
                    {
                        _talkers.TryRemove(new KeyValuePair<string, string>(stream.Name, id));
                        _ = ended.DisposeAsync().AsTask();
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return new WebRtcOfferResult(negotiation.Answer, session, 200, null) { TalkRefused = talkRefused };
            }
            catch (SocketException e)
            {
                transport?.Dispose();
                LogSocketFailed(e.Message);
                return WebRtcOfferResult.Refuse(503, "cannot open a UDP socket: " + e.Message);
            }
        }
        finally
        {
            if (!handedOver || !talkHeld)
            {
                _talkers.TryRemove(new KeyValuePair<string, string>(stream.Name, id));
            }

            if (!handedOver)
            {
                subscription.Dispose();
                registration.Dispose();
            }
        }
    }

    /// <summary>Ends a session (WHEP DELETE); false when no such session.</summary>
    public async Task<bool> EndAsync(string id)
    {
        if (!_sessions.TryRemove(id, out var session))
        {
            return false;
        }

        await session.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        StopTransport();
    }

    /// <summary>
    /// The host candidate: the address the client reached the web server on (it can reach it back), loopback when
    /// unknown. An IPv4-mapped IPv6 address is given as IPv4.
    /// </summary>
    private static IPAddress CandidateAddress(IPAddress? local)
    {
        if (local is null || local.Equals(IPAddress.Any) || local.Equals(IPAddress.IPv6Any))
        {
            return IPAddress.Loopback;
        }

        return local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
    }

    /// <summary>ICE ufrag/pwd characters (RFC 8839 §5.4 ice-char: ALPHA / DIGIT / "+" / "/"); here letters and digits.</summary>
    private static string RandomToken(int length) =>
        KernelRandom.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);

    private static string DataFolder(LightNvrConfig config) =>
        Path.GetDirectoryName(Path.GetFullPath(config.Database.Path)) ?? Path.GetTempPath();

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC: cannot open a UDP socket: {Reason}")]
    private partial void LogSocketFailed(string reason);
}
