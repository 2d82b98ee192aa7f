using System.Buffers;
using System.Net;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Plays one camera into an <see cref="IMediaSink"/>: connect, OPTIONS, DESCRIBE (following redirects), SETUP of every
/// track we carry, PLAY, then receive until the camera fails, the connection drops or the caller cancels, and
/// TEARDOWN. Reconnecting is the caller's job (the stream hub supervises and retries).
/// </summary>
public sealed partial class RtspSource
{
    private readonly RtspClientOptions _options;
    private readonly TimeProvider _time;
    private readonly uint _ourSsrc = (uint)Random.Shared.Next();

    public RtspSource(RtspClientOptions? options = null)
    {
        _options = options ?? new RtspClientOptions();
        _time = _options.TimeProvider;
    }

    /// <summary>Counters of the current (or last) run, readable while running.</summary>
    public RtspStatistics Statistics { get; private set; } = new();

    /// <summary>The tracks of the current run (after DESCRIBE), in SETUP order.</summary>
    public IReadOnlyList<MediaTrack> Tracks { get; private set; } = [];

    /// <summary>Packets received per track of the current run, indexed by <see cref="MediaTrack.Id"/>.</summary>
    public long GetTrackPackets(int trackId) =>
        _tracks is { } t && trackId >= 0 && trackId < t.Count ? Interlocked.Read(ref t[trackId].Packets) : 0;

    /// <summary>Creates the depacketizer of a track; null leaves the track's packets counted but not turned into frames.</summary>
    internal Func<RtspTrack, Action<MediaFrame>, IRtpTrackDepacketizer?>? DepacketizerFactory { get; set; }

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

        var tracks = CreateTracks(sdp!, baseUrl);
        var udp = new List<RtspUdpPortPair>();
        try
        {
            await SetupAsync(client, tracks, transport, udp, ct);
            Tracks = tracks.ConvertAll(t => t.Track);
            sink.OnTracks(Tracks);
            foreach (var track in tracks)
            {
                track.Depacketizer = DepacketizerFactory?.Invoke(track, frame =>
                {
                    Statistics.AddFrame();
                    sink.OnFrame(frame);
                });
            }

            client.Connection.Interleaved = (byte channel, in ReadOnlySequence<byte> payload) =>
                OnInterleaved(tracks, channel, payload);
            await client.PlayAsync(baseUrl, ct);
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

    private List<RtspTrack> CreateTracks(SdpSessionDescription sdp, string baseUrl)
    {
        var tracks = new List<RtspTrack>();
        foreach (var media in sdp.Media)
        {
            if (RtspTrack.TryCreate(tracks.Count, media, baseUrl, _time) is { } track)
            {
                tracks.Add(track);
            }
        }

        if (tracks.Count == 0)
        {
            throw new RtspException("DESCRIBE", "the camera offers no track with a supported codec (H.264, H.265, AAC, G.711, Opus)");
        }

        _tracks = tracks;
        return tracks;
    }

    private static async Task SetupAsync(RtspClient client, List<RtspTrack> tracks, RtspTransport transport,
        List<RtspUdpPortPair> udp, CancellationToken ct)
    {
        var local = IPAddress.Any;
        if (transport == RtspTransport.Udp && IPAddress.TryParse(client.Url.Host, out var cameraAddress) &&
            IPAddress.IsLoopback(cameraAddress))
        {
            local = cameraAddress;
        }

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
                IPAddress.TryParse(reply.Source ?? client.Url.Host, out var source))
            {
                track.ServerRtcp = new IPEndPoint(source, serverPort.Rtcp);
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
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        try
        {
            await client.TeardownAsync(baseUrl, cts.Token);
        }
        catch (Exception e) when (e is RtspException or OperationCanceledException)
        {
        }
    }
}
