using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Plays one camera into an <see cref="IMediaSink"/>: connect, OPTIONS, DESCRIBE (following redirects), SETUP of every
/// track we carry, PLAY, then receive until the camera fails, the connection drops or the caller cancels, and
/// TEARDOWN. Reconnecting is the caller's job (the stream hub supervises and retries).
/// </summary>
public sealed partial class RtspSource
{
    /// <summary>TEARDOWN is a courtesy on the way out; stopping a stream must not wait a full request timeout for it.</summary>
    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(2);

    private readonly RtspClientOptions _options;
    private readonly TimeProvider _time;
    private readonly uint _ourSsrc = (uint)Random.Shared.Next();

    /// <summary>Our RTCP CNAME (RFC 3550 §6.5.1); random per source, it identifies nothing about the host.</summary>
    private readonly string _cname = $"lightnvr-{Random.Shared.Next():x8}";

    public RtspSource(RtspClientOptions? options = null)
    {
        _options = options ?? new RtspClientOptions();
        _time = _options.TimeProvider;
    }

    /// <summary>Counters of the current (or last) run, readable while running.</summary>
    public RtspStatistics Statistics { get; private set; } = new();

    /// <summary>Why each media of the SDP that is not played was skipped (metadata, unsupported codecs).</summary>
    public IReadOnlyList<string> SkippedMedia { get; private set; } = [];

    /// <summary>The tracks of the current run (after DESCRIBE), in SETUP order.</summary>
    public IReadOnlyList<MediaTrack> Tracks { get; private set; } = [];

    /// <summary>RTP packets received for track <paramref name="trackId"/> of the current run (0 for no such track).</summary>
    public long GetTrackPackets(int trackId) =>
        _tracks is { } t && trackId >= 0 && trackId < t.Count ? Interlocked.Read(ref t[trackId].Packets) : 0;

    /// <summary>The depacketizer's counters (frames, loss, reordering, malformed) of a track of the current run.</summary>
    public Rtp.RtpDepacketizerCounters GetTrackCounters(int trackId) =>
        _tracks is { } t && trackId >= 0 && trackId < t.Count ? t[trackId].Counters : default;

    private List<RtspTrack>? _tracks;

    /// <summary>
    /// Runs the session until it fails (throws <see cref="RtspException"/>: status, method, reason, no credentials)
    /// or <paramref name="ct"/> is cancelled (throws <see cref="OperationCanceledException"/>).
    /// </summary>
    public async Task RunAsync(Uri url, RtspTransport transport, IMediaSink sink, CancellationToken ct)
    {
        Statistics = new RtspStatistics();
        for (var redirects = 0; ; redirects++)
        {
            var location = await RunOnceAsync(url, transport, sink, ct);
            if (location is null)
            {
                return;
            }

            if (redirects >= _options.MaxRedirects)
            {
                throw new RtspException("DESCRIBE", $"more than {_options.MaxRedirects} redirects");
            }

            url = location;
        }
    }

    /// <summary>Plays the session; returns the redirect target when the camera answers 3xx.</summary>
    private async Task<Uri?> RunOnceAsync(Uri url, RtspTransport transport, IMediaSink sink, CancellationToken ct)
    {
        await using var client = await RtspClient.ConnectAsync(url, _options, Statistics, ct);
        var options = await client.OptionsAsync(ct);
        if (IsRedirect(options, url, out var target))
        {
            return target;
        }

        var (response, sdp, baseUrl) = await client.DescribeAsync(ct);
        if (IsRedirect(response, url, out target))
        {
            return target;
        }

        if (!response.IsSuccess)
        {
            throw new RtspException("DESCRIBE", response.StatusCode, response.ReasonPhrase);
        }

        // Over TCP every frame comes from the connection's read loop: the frames of one read go to the sink as one
        // burst (a paced read holds a whole tick's worth), so its consumers wake once per read, not once per frame.
        List<MediaFrame>? burst = transport == RtspTransport.Tcp ? [] : null;
        var tracks = CreateTracks(sdp!, baseUrl, frame =>
        {
            Statistics.AddFrame();
            if (burst is not null)
            {
                burst.Add(frame);
            }
            else
            {
                sink.OnFrame(frame);
            }
        });
        var udp = new List<RtspUdpPortPair>();
        try
        {
            await SetupAsync(client, tracks, transport, udp, ct);
            Tracks = tracks.ConvertAll(t => t.Track);
            sink.OnTracks(Tracks);

            client.Connection.Interleaved = (byte channel, in ReadOnlySequence<byte> payload) =>
                OnInterleaved(tracks, channel, payload);
            if (burst is not null)
            {
                client.Connection.BurstEnded = () =>
                {
                    if (burst.Count > 0)
                    {
                        sink.OnFrames(CollectionsMarshal.AsSpan(burst));
                        burst.Clear();
                    }
                };
            }

            await client.PlayAsync(baseUrl, ct);
            if (transport == RtspTransport.Tcp && _options.ReceivePacer is { } pacer)
            {
                client.Connection.PaceReads = () => sink.AcceptsBatchedDelivery;
                client.Connection.Pacer = pacer;
            }

            await ReceiveAsync(client, tracks, transport, baseUrl, ct);
            return null;
        }
        finally
        {
            await TeardownAsync(client, baseUrl);
            foreach (var pair in udp)
            {
                pair.Dispose();
            }
        }
    }

    private List<RtspTrack> CreateTracks(SdpSessionDescription sdp, string baseUrl, Action<MediaFrame> onFrame)
    {
        var tracks = new List<RtspTrack>();
        var skipped = new List<string>();
        foreach (var media in sdp.Media)
        {
            if (RtspTrack.TryCreate(tracks.Count, media, baseUrl, _time, onFrame, out var reason) is { } track)
            {
                tracks.Add(track);
            }
            else
            {
                skipped.Add(reason ?? media.Media);
            }
        }

        SkippedMedia = skipped;

        if (tracks.Count == 0)
        {
            throw new RtspException("DESCRIBE",
                "the camera offers no track with a supported codec (H.264, H.265, AAC, G.711): " + string.Join("; ", skipped));
        }

        _tracks = tracks;
        return tracks;
    }

    private static async Task SetupAsync(RtspClient client, List<RtspTrack> tracks, RtspTransport transport,
        List<RtspUdpPortPair> udp, CancellationToken ct)
    {
        // Bind where the camera can reach us: its own loopback address for a local camera, else any address of its
        // family (an IPv6 camera needs an IPv6 socket).
        var camera = client.Connection.RemoteAddress;
        var local = camera switch
        {
            null => IPAddress.Any,
            _ when IPAddress.IsLoopback(camera) => camera,
            _ when camera.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => IPAddress.IPv6Any,
            _ => IPAddress.Any,
        };

        foreach (var track in tracks)
        {
            RtspTransportHeader request;
            if (transport == RtspTransport.Tcp)
            {
                // Channels 0-1 for the first track, 2-3 for the next, ... (RFC 2326 §10.12).
                request = new RtspTransportHeader { Protocol = "RTP/AVP/TCP", Interleaved = (2 * track.Id, (2 * track.Id) + 1) };
            }
            else
            {
                var pair = RtspUdpPortPair.Bind(local);
                udp.Add(pair);
                track.Udp = pair;
                request = new RtspTransportHeader { ClientPort = (pair.RtpPort, pair.RtpPort + 1) };
            }

            var reply = await client.SetupAsync(track.ControlUrl, request, ct);
            if (transport == RtspTransport.Udp && reply.ServerPort is { } serverPort &&
                (reply.Source is { } text && IPAddress.TryParse(text, out var source) ? source : camera) is { } target)
            {
                track.ServerRtcp = new IPEndPoint(target, serverPort.Rtcp);
            }
        }
    }

    private static bool IsRedirect(RtspResponse response, Uri current, out Uri? target)
    {
        target = null;
        if (response.StatusCode is < 300 or >= 400 || response.Headers["Location"] is not { } location ||
            !Uri.TryCreate(current, location.Trim(), out var next))
        {
            return false;
        }

        // Keep the credentials for a redirect to the same host only; never hand them to another host.
        if (string.IsNullOrEmpty(next.UserInfo) && !string.IsNullOrEmpty(current.UserInfo) &&
            string.Equals(next.Host, current.Host, StringComparison.OrdinalIgnoreCase))
        {
            next = new Uri($"{next.Scheme}://{current.UserInfo}@{next.Authority}{next.PathAndQuery}");
        }

        target = next;
        return true;
    }

    private async Task TeardownAsync(RtspClient client, string baseUrl)
    {
        if (client.Session is null || client.Completion.IsCompleted)
        {
            return;
        }

        // Best effort with a short bound: the camera frees the session on its own timeout anyway.
        using var cts = new CancellationTokenSource(TeardownTimeout, _time);
        try
        {
            await client.TeardownAsync(baseUrl, cts.Token);
        }
        catch (Exception e) when (e is RtspException or OperationCanceledException)
        {
        }
    }
}
