using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Rtsp;

namespace LightNvr.Interop.Tests.Robustness;

/// <summary>
/// The production RTSP source (as <see cref="RtspCameraSourceFactory"/>, TCP) that keeps every run's
/// <see cref="RtspSource"/> so a test can read its counters, and counts the runs that ended with an exception of a
/// type other than <see cref="RtspException"/>/<see cref="IOException"/>/cancellation (an exception that "escaped").
/// </summary>
internal sealed class CountingSourceFactory : ICameraSourceFactory
{
    public ConcurrentDictionary<string, ConcurrentQueue<RtspSource>> Runs { get; } = new();

    public ConcurrentQueue<Exception> Unexpected { get; } = new();

    public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream) => async (sink, ct) =>
    {
        var source = new RtspSource(new RtspClientOptions());
        Runs.GetOrAdd(stream.Name, _ => new()).Enqueue(source);
        try
        {
            await source.RunAsync(new Uri(stream.Url), RtspTransport.Tcp, sink, ct);
        }
        catch (Exception e) when (e is not (RtspException or IOException or OperationCanceledException
                                      or System.Net.Sockets.SocketException or TimeoutException))
        {
            Unexpected.Enqueue(e);
            throw;
        }
    };

    /// <summary>Sum of a counter over every run of a stream.</summary>
    public long Sum(string stream, Func<RtspSource, long> counter) =>
        Runs.TryGetValue(stream, out var runs) ? runs.Sum(counter) : 0;
}
