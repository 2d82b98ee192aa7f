using System.Threading.Channels;
using Concentus;
using LightNvr.Cameras;
using LightNvr.Media;
using LightNvr.Media.Codecs.G711;
using LightNvr.Media.Rtp;
using LightNvr.Media.Rtsp;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// Two-way audio for one WebRTC viewer: the browser's microphone RTP (already SRTP-decrypted by the session) →
/// 8 kHz PCM (Opus decoded with Concentus, the portable C# Opus; G.711 decoded only when the camera wants the other
/// law) → the camera's backchannel codec (<see cref="G711Encoder"/>) → <see cref="RtspBackchannel"/>. The camera
/// connection opens on the first packet (push-to-talk pressed) and stays for the session; packets are forwarded as
/// they come (the browser paces them, 20 ms each), from a short queue that drops the oldest when the camera is slow.
/// </summary>
public sealed partial class WebRtcTalk : IAsyncDisposable
{
    /// <summary>Queued microphone packets: 25 × 20 ms = 0.5 s; talk that is later than that is dropped.</summary>
    public const int MaxQueuedPackets = 25;

    /// <summary>Largest Opus frame decoded: 120 ms (RFC 6716 §2.1.4) at 8 kHz.</summary>
    private const int MaxFrameSamples = 960;

    private readonly CameraStream _stream;
    private readonly WebRtcTalkPlan _plan;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(MaxQueuedPackets) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _run;
    private long _received;
    private long _forwarded;

    public WebRtcTalk(CameraStream stream, WebRtcTalkPlan plan, ILogger logger)
    {
        _stream = stream;
        _plan = plan;
        _logger = logger;
        _run = Task.Run(() => RunAsync(_cts.Token));
    }

    /// <summary>Microphone packets received from the browser.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Packets written to the camera.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Why talking failed (no backchannel, camera refused), once it has.</summary>
    public string? Error { get; private set; }

    /// <summary>Takes one decrypted RTP packet from the browser; others than the negotiated payload type are ignored.</summary>
    public void Offer(ReadOnlySpan<byte> rtp)
    {
        if (RtpPacket.TryParse(rtp, out var packet) && packet.PayloadType == _plan.PayloadType && !packet.Payload.IsEmpty)
        {
            Interlocked.Increment(ref _received);
            _queue.Writer.TryWrite(packet.Payload.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _cts.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _cts.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        RtspBackchannel? camera = null;
        try
        {
            if (!await _queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                return;
            }

            camera = await RtspBackchannel.OpenAsync(new Uri(_stream.Config.Url), null, ct).ConfigureAwait(false);
            LogOpened(_stream.Name, camera.Codec);
            var decoder = _plan.Codec == MediaCodec.Opus ? OpusCodecFactory.CreateDecoder(8000, 1) : null;
            var pcm = new short[MaxFrameSamples];
            var g711 = new byte[MaxFrameSamples];
            var aLaw = camera.Codec == MediaCodec.Pcma;
            await foreach (var payload in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                ReadOnlyMemory<byte> samples;
                if (_plan.Codec == camera.Codec)
                {
                    samples = payload; // G.711 in the camera's law already
                }
                else
                {
                    var n = decoder is not null ? decoder.Decode(payload, pcm, MaxFrameSamples, false) : Decode(payload, pcm);
                    G711Encoder.Encode(pcm.AsSpan(0, n), g711, aLaw);
                    samples = g711.AsMemory(0, n);
                }

                await camera.SendAsync(samples, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _forwarded);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is RtspException or IOException or System.Net.Sockets.SocketException or
                                      UriFormatException or ArgumentException or InvalidOperationException)
        {
            Error = e.Message;
            LogFailed(_stream.Name, e.Message);
        }
        finally
        {
            if (camera is not null)
            {
                await camera.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>G.711 of the other law: to linear PCM first.</summary>
    private int Decode(byte[] payload, short[] pcm)
    {
        var n = Math.Min(payload.Length, pcm.Length);
        for (var i = 0; i < n; i++)
        {
            pcm[i] = _plan.Codec == MediaCodec.Pcma ? G711Decoder.ALaw(payload[i]) : G711Decoder.MuLaw(payload[i]);
        }

        return n;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Two-way audio to {Stream}: camera backchannel open ({Codec})")]
    private partial void LogOpened(string stream, MediaCodec codec);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Two-way audio to {Stream} failed: {Reason}")]
    private partial void LogFailed(string stream, string reason);
}
