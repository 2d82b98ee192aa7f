using LightNvr.Data;
using LightNvr.Media;

namespace LightNvr.Cameras;

/// <summary>
/// Connects to a camera URL once, without saving anything, and reports what its video is (codec, size, frame rate):
/// the work behind <c>POST /api/streams/test</c>. Uses the same source factory as the camera service, so a URL that
/// passes here is one the recorder can open. Nothing is decoded.
/// </summary>
public sealed class StreamProbe(ICameraSourceFactory sources, TimeProvider time)
{
    /// <summary>How long a test may take: a connect, DESCRIBE/SETUP/PLAY and about two seconds of frames for the rate.</summary>
    public static readonly TimeSpan MaxProbeTime = TimeSpan.FromSeconds(10);

    /// <summary>The video found, or the reason there is none (never containing credentials).</summary>
    public async Task<(VideoInfo? Info, string? Error)> ProbeAsync(string url, int protocol, CancellationToken ct)
    {
        var probe = new VideoInfoProbe();
        var measured = new TaskCompletionSource<VideoInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Measured += info => measured.TrySetResult(info);
        var sink = new ProbeSink(probe);
        var source = sources.Create(new StreamConfig { Name = "probe", Url = url, Protocol = protocol });

        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct);
        run.CancelAfter(MaxProbeTime);
        var running = source(sink, run.Token);
        var first = await Task.WhenAny(running, measured.Task, Task.Delay(MaxProbeTime, time, ct)).ConfigureAwait(false);
        await run.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
        }
        catch (Exception e) when (first == running || probe.Info is null)
        {
            return (null, CredentialFree(e.Message));
        }
        catch (Exception)
        {
            // The camera went away after it had shown its video: what was learnt stands.
        }

        if (measured.Task.IsCompletedSuccessfully)
        {
            return (measured.Task.Result, null);
        }

        return probe.Info is { } partial
            ? (partial, null)
            : (null, sink.SawTracks ? "the camera sent no video within the test time" : "no answer from the camera within the test time");
    }

    private static string CredentialFree(string message) => Media.Streaming.CredentialRedaction.Redact(message);

    private sealed class ProbeSink(VideoInfoProbe probe) : IMediaSink
    {
        public bool SawTracks { get; private set; }

        public void OnTracks(IReadOnlyList<MediaTrack> tracks) => SawTracks = true;

        public void OnFrame(MediaFrame frame) => probe.OnFrame(frame);
    }
}
