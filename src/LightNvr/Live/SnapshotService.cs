using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;

namespace LightNvr.Live;

/// <summary>
/// go2rtc's <c>frame.jpeg</c>: the newest picture of the hub's cached GOP (keyframe and every frame since, muxed to
/// fMP4 and decoded by ffmpeg), no new camera connection when the camera is connected (a <c>record: false</c> stream
/// is connected on demand by the snapshot's own subscription). Answers are cached for <see cref="CacheFor"/> per
/// stream and size, and concurrent callers share one decode; at most <see cref="MaxConcurrentDecodes"/> ffmpeg
/// processes run at once across streams. Thread-safe.
/// </summary>
public sealed partial class SnapshotService(LiveConsumers consumers, TimeProvider time, ILogger<SnapshotService> logger)
{
    /// <summary>How long one decoded picture answers every caller: a dashboard of 16 tiles refreshing each second
    /// then costs one decode per camera per second.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    /// <summary>ffmpeg processes at once: one per core of the 2-core target box.</summary>
    public const int MaxConcurrentDecodes = 2;

    /// <summary>Longest one decode may take (waiting for an on-demand camera included) before callers get an error.</summary>
    public static readonly TimeSpan MaxDecodeTime = TimeSpan.FromSeconds(15);

    /// <summary>Cache entries kept at most (stream × size combinations); older ones are evicted.</summary>
    public const int MaxCacheEntries = 256;

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _decodes = new(MaxConcurrentDecodes, MaxConcurrentDecodes);

    public Task<byte[]?> GetAsync(CameraStream stream, int? width, int? height, string? remote)
    {
        var key = $"{stream.Name}|{width}|{height}";
        var now = time.GetUtcNow();
        while (true)
        {
            if (_cache.TryGetValue(key, out var entry)
                && (!entry.Jpeg.IsCompleted || (entry.Jpeg.IsCompletedSuccessfully && now - entry.At < CacheFor)))
            {
                return entry.Jpeg;
            }

            if (_cache.Count >= MaxCacheEntries)
            {
                foreach (var old in _cache.Where(e => e.Value.Jpeg.IsCompleted && now - e.Value.At >= CacheFor).ToArray())
                {
                    _cache.TryRemove(old);
                }
            }

            var fresh = new Entry(new Lazy<Task<byte[]?>>(() => DecodeAsync(stream, width, height, remote)), now);
            if (entry is null ? _cache.TryAdd(key, fresh) : _cache.TryUpdate(key, fresh, entry))
            {
                return fresh.Jpeg;
            }
        }
    }

    private async Task<byte[]?> DecodeAsync(CameraStream stream, int? width, int? height, string? remote)
    {
        using var deadline = new CancellationTokenSource(MaxDecodeTime, time);
        var (mp4, lastIndex) = await CaptureAsync(stream, remote, deadline.Token).ConfigureAwait(false);
        if (mp4 is null)
        {
            return null;
        }

        await _decodes.WaitAsync(deadline.Token).ConfigureAwait(false);
        try
        {
            return await FfmpegJpegDecoder.DecodeAsync(mp4, lastIndex, width, height, deadline.Token).ConfigureAwait(false)
                ?? await FfmpegJpegDecoder.DecodeAsync(mp4, 0, width, height, deadline.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed decode is a failed snapshot (503), never a crash
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogDecodeFailed(stream.Name, e.Message);
            return null;
        }
        finally
        {
            _decodes.Release();
        }
    }

    /// <summary>The cached GOP's video as fMP4 (init + one fragment) and the index of its newest picture.</summary>
    private async Task<(byte[]? Mp4, int LastIndex)> CaptureAsync(CameraStream stream, string? remote, CancellationToken ct)
    {
        var consumer = new LiveConsumer(stream.Name, LiveFormats.Jpeg, "http", remote, null, time);
        using var registration = consumers.Add(consumer);
        using var subscription = LiveSubscriber.Subscribe(stream, consumer);
        var start = await LiveSubscriber.WaitForStartAsync(subscription, time, ct).ConfigureAwait(false);
        if (start is null || start.Value.First[0].Track is not { Kind: MediaKind.Video, IsReady: true } video)
        {
            return (null, 0);
        }

        using var muxer = new Fmp4Muxer([video]);
        muxer.AddFrame(start.Value.First[0]);
        var count = 1;
        while (subscription.TryRead(out var frame))
        {
            if (frame.Track.Id == video.Id && muxer.AddFrame(frame) == Fmp4AddResult.Added)
            {
                count++;
            }
        }

        using var output = new MemoryStream();
        output.Write(muxer.InitSegment.Span);
        muxer.FlushFragment(output, final: true);
        consumer.AddSent(output.Length, count);
        return (output.ToArray(), count - 1);
    }

    private sealed record Entry(Lazy<Task<byte[]?>> Lazy, DateTimeOffset At)
    {
        public Task<byte[]?> Jpeg => Lazy.Value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Stream} failed: {Reason}")]
    private partial void LogDecodeFailed(string stream, string reason);
}
