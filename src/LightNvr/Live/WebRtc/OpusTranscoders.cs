using LightNvr.Cameras;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// The running AAC → Opus transcoders, one per stream at most: the first WebRTC viewer of an AAC camera that
/// negotiated Opus starts its stream's ffmpeg, every later viewer shares it, and the last one to leave stops it (no
/// process and no memory while nobody listens).
/// </summary>
public sealed class OpusTranscoders(TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OpusTranscoder> _running = new(StringComparer.Ordinal);
    private readonly List<Task> _stopping = [];

    /// <summary>Transcoders running now (one ffmpeg each).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>The stream's transcoder, or null when none runs.</summary>
    public OpusTranscoder? Find(string stream)
    {
        lock (_lock)
        {
            return _running.GetValueOrDefault(stream);
        }
    }

    /// <summary>A viewer's feed of the stream's Opus packets; starts the stream's transcoder when it is the first.</summary>
    public OpusFeed Acquire(CameraStream stream)
    {
        lock (_lock)
        {
            if (!_running.TryGetValue(stream.Name, out var transcoder))
            {
                transcoder = new OpusTranscoder(stream, time, loggers.CreateLogger<OpusTranscoder>());
                _running[stream.Name] = transcoder;
                transcoder.Start();
            }

            var feed = new OpusFeed(f => Release(transcoder, f));
            transcoder.Add(feed);
            return feed;
        }
    }

    private void Release(OpusTranscoder transcoder, OpusFeed feed)
    {
        lock (_lock)
        {
            if (!transcoder.Remove(feed) || !_running.TryGetValue(transcoder.StreamName, out var current) ||
                current != transcoder)
            {
                return;
            }

            _running.Remove(transcoder.StreamName);
            _stopping.RemoveAll(t => t.IsCompleted);
            _stopping.Add(transcoder.DisposeAsync().AsTask());
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> tasks;
        lock (_lock)
        {
            tasks = [.. _stopping, .. _running.Values.Select(t => t.DisposeAsync().AsTask())];
            _running.Clear();
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
