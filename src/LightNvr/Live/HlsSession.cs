using LightNvr.Cameras;
using LightNvr.Media;
using LightNvr.Media.Hls;

namespace LightNvr.Live;

/// <summary>
/// One live HLS output of a stream: a hub subscription pumped into an in-memory <see cref="HlsSegmenter"/>, starting
/// from the cached GOP (cut as its own segments, so the first playlist is ready at once). Ends when idle (see
/// <see cref="HlsSessions"/>), when the source reconnects or changes parameter sets, or when the stream goes away.
/// Thread-safety: the pump is the segmenter's only writer; HTTP requests read from any thread.
/// </summary>
public sealed class HlsSession : IAsyncDisposable
{
    /// <summary>How long a playlist request waits for the first segment (on-demand connect plus a keyframe).</summary>
    public static readonly TimeSpan MaxFirstSegmentWait = LiveSubscriber.MaxFirstFrameWait + TimeSpan.FromSeconds(2);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly IDisposable _registration;
    private readonly Task _pump;
    private long _lastAccess;
    private volatile HlsSegmenter? _segmenter;
    private volatile string? _error;

    public HlsSession(string id, CameraStream stream, LiveConsumer consumer, LiveConsumers consumers, TimeProvider time)
    {
        Id = id;
        Stream = stream;
        Consumer = consumer;
        _time = time;
        Touch();
        _registration = consumers.Add(consumer);
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    public string Id { get; }
    public CameraStream Stream { get; }
    public LiveConsumer Consumer { get; }

    /// <summary>Set when the session cannot produce (no video, nothing arrived): the reason for the client.</summary>
    public string? Error => _error;

    public bool Ended => _pump.IsCompleted;

    public TimeSpan Idle => _time.GetElapsedTime(Interlocked.Read(ref _lastAccess));

    public ReadOnlyMemory<byte>? InitSegment => _segmenter?.InitSegment;

    public void Touch() => Interlocked.Exchange(ref _lastAccess, _time.GetTimestamp());

    /// <summary>The playlist once a segment exists, or null (see <see cref="Error"/>) when none came in time.</summary>
    public async Task<string?> PlaylistAsync(Func<long, string> segmentUri, string initUri, CancellationToken ct)
    {
        Touch();
        var waited = TimeSpan.Zero;
        while (_segmenter is not { SegmentCount: > 0 } && _error is null && !Ended && waited < MaxFirstSegmentWait)
        {
            await Task.Delay(PollInterval, _time, ct).ConfigureAwait(false);
            waited += PollInterval;
        }

        return _segmenter is { SegmentCount: > 0 } s ? s.Playlist(initUri, segmentUri) : null;
    }

    public HlsSegment? Segment(long sequence)
    {
        Touch();
        return _segmenter is { } s && s.TryGetSegment(sequence, out var segment) ? segment : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _registration.Dispose();
        _segmenter?.Dispose();
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        using var subscription = LiveSubscriber.Subscribe(Stream, Consumer);
        var start = await LiveSubscriber.WaitForStartAsync(subscription, _time, ct).ConfigureAwait(false);
        if (start is null)
        {
            _error = $"stream '{Stream.Name}' sent no video in time";
            return;
        }

        var tracks = CodecNegotiation.Select(start.Value.Tracks, null);
        if (!tracks.Any(t => t.Kind == MediaKind.Video))
        {
            _error = CodecNegotiation.Explain(start.Value.Tracks, null);
            return;
        }

        Consumer.Codecs = Media.Codecs.CodecString.For(tracks);
        var ids = tracks.Select(t => t.Id).ToHashSet();
        var segmenter = new HlsSegmenter(tracks);
        var announced = subscription.Tracks;
        segmenter.Add(start.Value.First[0]);
        var burst = true;
        try
        {
            do
            {
                while (subscription.TryRead(out var frame))
                {
                    if (ids.Contains(frame.Track.Id) && !segmenter.Add(frame))
                    {
                        return;
                    }

                    Consumer.AddSent(frame.Data.Length, 1);
                }

                if (burst)
                {
                    segmenter.Cut(); // the cached GOP is a segment of its own: the first playlist is ready at once
                    _segmenter = segmenter;
                    burst = false;
                }
            }
            while (await subscription.WaitToReadAsync(ct).ConfigureAwait(false)
                   && ReferenceEquals(subscription.Tracks, announced));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
