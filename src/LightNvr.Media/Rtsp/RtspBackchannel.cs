using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Talks to a camera over its ONVIF audio backchannel (ONVIF Streaming Specification §5.3 "Back channel
/// connection"): DESCRIBE and SETUP carry <c>Require: www.onvif.org/ver20/backchannel</c>; the camera's SDP then has
/// an extra audio media marked <c>a=sendonly</c> (it only receives); every media is set up over RTSP-interleaved TCP
/// (RFC 2326 §10.12) and played, and what the camera sends is dropped; G.711 RTP (RFC 3551 §4.5.14) is then written on its channel. One connection per
/// talk session, separate from the recording connection (as go2rtc's ONVIF two-way audio does).
/// </summary>
public sealed class RtspBackchannel : IAsyncDisposable
{
    /// <summary>The ONVIF feature tag (ONVIF Streaming Specification §5.3.1).</summary>
    public const string RequireTag = "www.onvif.org/ver20/backchannel";

    /// <summary>G.711 samples per RTP packet: 20 ms at 8 kHz, the RFC 3551 §4.5 default packetization.</summary>
    public const int SamplesPerPacket = 160;

    private readonly RtspClient _client;
    private readonly string _aggregateUrl;
    private readonly byte _channel;
    private readonly G711Packetizer _packetizer;
    private readonly byte[] _frame = new byte[RtspLimits.InterleavedHeaderLength + RtpPacket.FixedHeaderSize + SamplesPerPacket];
    private readonly MediaTrack _track;
    private long _samples;

    private RtspBackchannel(RtspClient client, string aggregateUrl, byte channel, MediaCodec codec, int payloadType)
    {
        _client = client;
        _aggregateUrl = aggregateUrl;
        _channel = channel;
        Codec = codec;
        _packetizer = new G711Packetizer((byte)payloadType, (uint)Random.Shared.Next(1, int.MaxValue),
            (ushort)Random.Shared.Next(0, ushort.MaxValue), (uint)Random.Shared.Next(), RtpPacket.FixedHeaderSize + SamplesPerPacket);
        _track = new MediaTrack { Id = 0, Codec = codec, ClockRate = 8000, SampleRate = 8000, Channels = 1 };
    }

    /// <summary>PCMU or PCMA: what the camera's backchannel takes.</summary>
    public MediaCodec Codec { get; }

    public long PacketsSent => _packetizer.Packets;

    /// <summary>
    /// Connects, finds the backchannel and starts it; throws <see cref="RtspException"/> when the camera has none
    /// (no <c>a=sendonly</c> audio answered to the Require tag, or the camera refuses the tag with 551) or its codec
    /// is not G.711.
    /// </summary>
    public static async Task<RtspBackchannel> OpenAsync(Uri url, RtspClientOptions? options, CancellationToken ct)
    {
        var client = await RtspClient.ConnectAsync(url, options, null, ct).ConfigureAwait(false);
        try
        {
            await client.OptionsAsync(ct).ConfigureAwait(false);
            var require = new RtspHeaders();
            require.Add("Accept", "application/sdp");
            require.Add("Require", RequireTag);
            var response = await client.SendAsync("DESCRIBE", url.AbsoluteUri, require, ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw new RtspException("DESCRIBE", response.StatusCode,
                    response.StatusCode == 551 ? "the camera does not support the ONVIF backchannel" : response.ReasonPhrase);
            }

            if (!SdpSessionDescription.TryParse(response.Body.Span, out var sdp, out var error) || sdp is null)
            {
                throw new RtspException("DESCRIBE", $"bad SDP: {error}");
            }

            var baseUrl = response.Headers["Content-Base"] ?? response.Headers["Content-Location"] ?? url.AbsoluteUri;
            baseUrl = RtspUrl.Redact(baseUrl.Trim());
            if (sdp.Control is { } control && control != "*")
            {
                baseUrl = RtspUrl.Redact(RtspUrl.ResolveControl(baseUrl, control));
            }

            var media = sdp.Media.FirstOrDefault(m => m.Media == "audio" && m.Attributes.Any(a => a.Name == "sendonly"))
                ?? throw new RtspException("DESCRIBE", "the camera has no backchannel (no a=sendonly audio track)");
            var (codec, pt) = ChooseCodec(media)
                ?? throw new RtspException("DESCRIBE", "the camera's backchannel is not G.711 (PCMU/PCMA at 8 kHz)");
            // Every media is set up (interleaved pairs 0-1, 2-3, …): cameras such as gst-rtsp-server's ONVIF media
            // fail the whole pipeline when its other streams are left unlinked. What the camera sends here is dropped
            // (no Interleaved handler); the backchannel's channel is the one its SETUP reply names.
            var channel = (byte)0;
            var next = 0;
            foreach (var m in sdp.Media)
            {
                var setup = new RtspHeaders();
                setup.Add("Require", RequireTag);
                var transport = new RtspTransportHeader { Protocol = "RTP/AVP/TCP", Interleaved = (next, next + 1) };
                var trackUrl = RtspUrl.ResolveControl(baseUrl, m.GetAttribute("control") ?? "");
                var reply = await client.SetupAsync(trackUrl, transport, ct, setup).ConfigureAwait(false);
                if (m == media)
                {
                    channel = (byte)(reply.Interleaved?.Rtp ?? next);
                }

                next += 2;
            }

            var play = new RtspHeaders();
            play.Add("Require", RequireTag);
            // No Range header: gst-rtsp-server's ONVIF media fails the seek a Range asks for (503) on live sources.
            var played = await client.SendAsync("PLAY", baseUrl, play, ct).ConfigureAwait(false);
            if (!played.IsSuccess)
            {
                throw new RtspException("PLAY", played.StatusCode, played.ReasonPhrase);
            }

            return new RtspBackchannel(client, baseUrl, channel, codec, pt);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends G.711 samples (already in <see cref="Codec"/>), 20 ms per RTP packet; the caller paces them.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> samples, CancellationToken ct)
    {
        for (var offset = 0; offset < samples.Length; offset += SamplesPerPacket)
        {
            var chunk = samples.Slice(offset, Math.Min(SamplesPerPacket, samples.Length - offset));
            var length = 0;
            _packetizer.Packetize(new MediaFrame(_track, _samples, 0, true, chunk, 0), packet =>
            {
                length = RtspInterleavedFrame.WriteTo(_channel, packet, _frame);
            });
            _samples += chunk.Length;
            await _client.Connection.WriteAsync(_frame.AsMemory(0, length), ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _client.TeardownAsync(_aggregateUrl, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RtspException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private static (MediaCodec Codec, int PayloadType)? ChooseCodec(SdpMediaDescription media)
    {
        foreach (var f in media.GetPayloadFormats())
        {
            if (f.ClockRate == 8000 && f.EncodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase))
            {
                return (MediaCodec.Pcmu, f.PayloadType);
            }

            if (f.ClockRate == 8000 && f.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase))
            {
                return (MediaCodec.Pcma, f.PayloadType);
            }
        }

        return null;
    }
}
