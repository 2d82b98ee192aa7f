using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Streaming;
using LightNvr.Recording;

namespace LightNvr.Relay;

/// <summary>
/// Wraps the RTSP camera source on recorder nodes (docs/scale.md "Live view on any node"): at each (re)connect a node
/// that does not hold a camera's lease reads it from the holder's RTSP restream (<see cref="RelaySourceChoice"/>), so
/// the camera sees one session, the holder's. A relay the holder refuses or cannot be reached for falls back to the
/// camera at once (in the same run, so the first viewer does not wait for a retry) and that holder is not asked again
/// for this camera for <see cref="RetryRelayAfter"/>; a relay that breaks after it delivered (the holder died) ends the
/// run, and the supervisor's next attempt decides again. When this node gains the lease while it relays, the relay is
/// cut and the same run goes on with the camera (the recorder needs the camera). On one box (SQLite) it passes
/// everything to the wrapped factory.
/// </summary>
public sealed partial class RelaySourceFactory : ICameraSourceFactory
{
    /// <summary>How long a holder that refused or failed a relay is left alone for that camera (then asked again).</summary>
    public static readonly TimeSpan RetryRelayAfter = TimeSpan.FromSeconds(30);

    private readonly ICameraSourceFactory _inner;
    private readonly RecordingLeases _leases;
    private readonly NodeRelayCredential _credential;
    private readonly TimeProvider _time;
    private readonly ILogger<RelaySourceFactory> _logger;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _relays = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _failedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastReason = new(StringComparer.Ordinal);

    public RelaySourceFactory(ICameraSourceFactory inner, RecordingLeases leases, NodeRelayCredential credential,
        TimeProvider time, ILogger<RelaySourceFactory> logger)
    {
        ArgumentNullException.ThrowIfNull(leases);
        _inner = inner;
        _leases = leases;
        _credential = credential;
        _time = time;
        _logger = logger;
        leases.LeaseChanged += OnLeaseChangedAsync;
    }

    public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var direct = _inner.Create(stream);
        if (!_leases.Enabled || !IsRtsp(stream.Url))
        {
            return direct;
        }

        return (sink, ct) => RunAsync(stream, direct, sink, ct);
    }

    /// <summary>What the next connect of <paramref name="stream"/> would do now.</summary>
    public RelayChoice Choose(string stream)
    {
        var view = _leases.View;
        var since = view is null ? TimeSpan.Zero : _time.GetElapsedTime(view.ReadAt);
        return RelaySourceChoice.Choose(stream, _leases.NodeId, _leases.Holds(stream), view, _leases.Ttl, since,
            node => _failedAt.TryGetValue(Key(node, stream), out var at) && _time.GetElapsedTime(at) < RetryRelayAfter);
    }

    private async Task RunAsync(StreamConfig stream, Func<IMediaSink, CancellationToken, Task> direct, IMediaSink sink,
        CancellationToken ct)
    {
        var choice = Choose(stream.Name);
        if (choice.IsRelay && await _credential.PasswordAsync(ct).ConfigureAwait(false) is { } password)
        {
            Say(stream.Name, choice.Reason, relay: true);
            var url = NodeRelayCredential.RelayUrl(choice.RtspAddress!, stream.Name, password);
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _relays[stream.Name] = cut;
            var watched = new DeliveryWatch(sink);
            try
            {
                await _inner.Create(stream with { Url = url, Protocol = 0 })(watched, cut.Token).ConfigureAwait(false);
                if (watched.Delivered && (!cut.IsCancellationRequested || ct.IsCancellationRequested))
                {
                    return; // the holder ended the stream: the supervisor reconnects and decides again
                }

                if (!watched.Delivered && !cut.IsCancellationRequested)
                {
                    _failedAt[Key(choice.NodeId!, stream.Name)] = _time.GetTimestamp();
                    Say(stream.Name, $"its holder {choice.NodeId} ended the relay before any media", relay: false);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Cut because this node took the lease: go on with the camera below.
            }
#pragma warning disable CA1031 // any relay failure is a fallback to the camera, never a crash
            catch (Exception e) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
            {
                _failedAt[Key(choice.NodeId!, stream.Name)] = _time.GetTimestamp();
                var reason = CredentialRedaction.Redact(e.Message);
                if (watched.Delivered)
                {
                    LogRelayBroke(stream.Name, choice.NodeId!, reason);
                    throw;
                }
                Say(stream.Name, $"its holder {choice.NodeId} refused or cannot be reached ({reason})", relay: false);
            }
            finally
            {
                _relays.TryRemove(new KeyValuePair<string, CancellationTokenSource>(stream.Name, cut));
            }

            if (ct.IsCancellationRequested)
            {
                return;
            }

            if (_leases.Holds(stream.Name))
            {
                Say(stream.Name, "this node took its lease", relay: false);
            }
        }
        else if (choice.IsRelay)
        {
            Say(stream.Name, "no cluster credential", relay: false);
        }
        else if (!_leases.Holds(stream.Name))
        {
            Say(stream.Name, choice.Reason, relay: false);
        }
        else
        {
            _lastReason.TryRemove(stream.Name, out _); // the holder connects to its camera: the normal case, not logged
        }

        await direct(sink, ct).ConfigureAwait(false);
    }

    /// <summary>A lease gained while relaying: cut the relay so the run continues on the camera.</summary>
    private Task OnLeaseChangedAsync(string stream)
    {
        if (_leases.Holds(stream) && _relays.TryGetValue(stream, out var cut))
        {
            try
            {
                cut.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the relay ended meanwhile
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Logs a choice once, and again only when it changes (a viewer coming and going is not news).</summary>
    private void Say(string stream, string reason, bool relay)
    {
        if (_lastReason.TryGetValue(stream, out var last) && last == reason)
        {
            return;
        }

        _lastReason[stream] = reason;
        if (relay)
        {
            LogRelaying(stream, reason);
        }
        else
        {
            LogDirect(stream, reason);
        }
    }

    private static string Key(string node, string stream) => node + "\n" + stream;

    private static bool IsRtsp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase) || uri.Scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name}: live view {Reason} (not connecting to the camera)")]
    private partial void LogRelaying(string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name}: connecting to the camera itself: {Reason}")]
    private partial void LogDirect(string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Name}: relay from {Node} broke: {Reason}")]
    private partial void LogRelayBroke(string name, string node, string reason);

    /// <summary>Passes everything on and notes whether the relay delivered anything (connected) before it failed.</summary>
    private sealed class DeliveryWatch(IMediaSink sink) : IMediaSink
    {
        private volatile bool _delivered;

        public bool Delivered => _delivered;

        public bool AcceptsBatchedDelivery => sink.AcceptsBatchedDelivery;

        public void OnTracks(IReadOnlyList<MediaTrack> tracks)
        {
            _delivered = true;
            sink.OnTracks(tracks);
        }

        public void OnFrame(MediaFrame frame) => sink.OnFrame(frame);

        public void OnFrames(ReadOnlySpan<MediaFrame> frames) => sink.OnFrames(frames);
    }
}
