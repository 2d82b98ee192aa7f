using LightNvr.Media.Streaming;

namespace LightNvr.Live;

/// <summary>
/// One live viewer (MSE WebSocket, progressive MP4, HLS session, snapshot) as go2rtc's streams JSON shows a consumer:
/// format, protocol, remote address, user agent, and what was sent (bytes, packets = frames, drops).
/// Thread-safety: counters are updated by the viewer's own loop and read from any thread.
/// </summary>
public sealed class LiveConsumer
{
    private static long s_nextId;
    private long _bytes;
    private long _packets;
    private long _skipped;

    public LiveConsumer(string stream, string formatName, string protocol, string? remote, string? userAgent,
        TimeProvider time)
    {
        Id = Interlocked.Increment(ref s_nextId);
        Stream = stream;
        FormatName = formatName;
        Protocol = protocol;
        Remote = remote;
        UserAgent = userAgent;
        Started = time.GetUtcNow();
    }

    public long Id { get; }
    public string Stream { get; }

    /// <summary>go2rtc's format names: <c>mse/fmp4</c>, <c>mp4</c>, <c>hls/fmp4</c>.</summary>
    public string FormatName { get; }

    /// <summary><c>ws</c> or <c>http</c>.</summary>
    public string Protocol { get; }
    public string? Remote { get; }
    public string? UserAgent { get; }
    public DateTimeOffset Started { get; }

    /// <summary>The codecs sent (RFC 6381 strings), set once negotiated.</summary>
    public string Codecs { get; set; } = "";

    /// <summary>The hub subscription feeding this viewer (its queue drops count as ours).</summary>
    public HubSubscription? Subscription { get; set; }

    public long Bytes => Interlocked.Read(ref _bytes);
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Frames the hub dropped (queue full) plus frames this viewer skipped to catch up with the live edge.</summary>
    public long Drops => Interlocked.Read(ref _skipped) + (Subscription?.Stats.Drops ?? 0);

    public void AddSent(long bytes, long packets)
    {
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _packets, packets);
    }

    public void AddSkipped(long frames) => Interlocked.Add(ref _skipped, frames);
}
