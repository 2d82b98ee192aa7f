using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Recording;
using LightNvr.Relay;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Relay;

/// <summary>
/// The relay's switches inside one source run (docs/scale.md "Live view on any node"), with two real lease layers on a
/// real PostgreSQL (heartbeats driven by hand) and a recording camera source in place of RTSP: node b relays cam1 from
/// its holder a; when a leaves and b claims cam1, the relay is cut and the same run goes on with the camera (b now
/// records it). A holder that refuses before any media sends the run to the camera at once, and is not asked again.
/// </summary>
public sealed class RelaySourceFactoryTests : IAsyncLifetime
{
    private const string CameraUrl = "rtsp://127.0.0.1:1/cam1";
    private const string HolderRtsp = "rtsp://127.0.0.1:18554";
    private static readonly MediaTrack Video = new() { Id = 0, Codec = MediaCodec.H264, ClockRate = 90000 };
    private readonly TempFolder _folder = new();
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.MigratedAsync(DatabaseEngine.Postgresql, _folder.File("unused.db"), TimeProvider.System);
        await new StreamStore(_db).InsertAsync(new StreamConfig { Name = "cam1", Url = CameraUrl });
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    private RecordingLeases Node(string id) => new(
        new LightNvrConfig { Cluster = new ClusterOptions { NodeId = id, HeartbeatInterval = 1, LeaseTtl = 30, RtspUrl = id == "a" ? HolderRtsp : "" } },
        _db, new LeaseStore(_db), TimeProvider.System, NullLogger<RecordingLeases>.Instance);

    private RelaySourceFactory Factory(ICameraSourceFactory inner, RecordingLeases leases) =>
        new(inner, leases, new NodeRelayCredential(_db, new LeaseStore(_db)), TimeProvider.System, NullLogger<RelaySourceFactory>.Instance);

    [Fact]
    public async Task Gaining_the_lease_while_relaying_cuts_the_relay_and_the_run_goes_on_with_the_camera()
    {
        await using var a = Node("a");
        await using var b = Node("b");
        await a.TickAsync(); // a holds cam1 and heartbeats its RTSP address
        await b.TickAsync(); // b holds nothing and now sees a as the healthy holder
        Assert.False(b.Holds("cam1"));

        var sources = new Sources();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sink = new Sink();
        var run = Factory(sources, b).Create(new StreamConfig { Name = "cam1", Url = CameraUrl })(sink, stop.Token);

        var relayUrl = await sources.NextAsync();
        Assert.StartsWith("rtsp://lightnvr-node:", relayUrl, StringComparison.Ordinal);
        Assert.EndsWith("@127.0.0.1:18554/cam1", relayUrl, StringComparison.Ordinal);
        Assert.False(run.IsCompleted);

        // a leaves (as a graceful stop does): cam1 is free, b claims it at its next heartbeat and cuts its relay.
        var store = new LeaseStore(_db);
        await store.LeaveAsync("a");
        await store.ReleaseAsync("a", "cam1");
        await b.TickAsync();
        Assert.True(b.Holds("cam1"));

        Assert.Equal(CameraUrl, await sources.NextAsync()); // the same run, now on the camera
        Assert.False(run.IsCompleted);
        Assert.Equal(2, sink.TrackAnnouncements); // the relay's tracks, then the camera's
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run); // the camera runs until the supervisor stops it
    }

    [Fact]
    public async Task A_holder_refusing_before_any_media_sends_the_run_to_the_camera_and_is_left_alone()
    {
        await using var a = Node("a");
        await using var b = Node("b");
        await a.TickAsync();
        await b.TickAsync();

        var sources = new Sources { RefuseRelay = true };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var factory = Factory(sources, b);
        var run = factory.Create(new StreamConfig { Name = "cam1", Url = CameraUrl })(new Sink(), stop.Token);

        Assert.StartsWith("rtsp://lightnvr-node:", await sources.NextAsync(), StringComparison.Ordinal);
        Assert.Equal(CameraUrl, await sources.NextAsync()); // at once, in the same run: the viewer does not wait for a retry
        Assert.False(factory.Choose("cam1").IsRelay); // a is not asked again for a while (RetryRelayAfter)
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run); // the camera runs until the supervisor stops it
    }

    /// <summary>
    /// The camera source the relay wraps: notes every URL it is asked to read, announces a video track and then runs
    /// until cancelled (or, for a relay URL with <see cref="RefuseRelay"/>, fails as a refusing holder does).
    /// </summary>
    private sealed class Sources : ICameraSourceFactory
    {
        private readonly BlockingCollection<string> _urls = [];

        public bool RefuseRelay { get; init; }

        public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream) => async (sink, ct) =>
        {
            if (RefuseRelay && stream.Url != CameraUrl)
            {
                _urls.Add(stream.Url, CancellationToken.None);
                throw new IOException("RTSP/1.0 403 Forbidden");
            }
            sink.OnTracks([Video]);
            _urls.Add(stream.Url, CancellationToken.None); // after the tracks: a test that has seen the URL sees them too
            await Task.Delay(Timeout.Infinite, ct);
        };

        public Task<string> NextAsync() => Task.Run(() =>
            _urls.TryTake(out var url, TimeSpan.FromSeconds(20)) ? url : throw new TimeoutException("no source was started"));
    }

    private sealed class Sink : IMediaSink
    {
        private int _tracks;

        public int TrackAnnouncements => Volatile.Read(ref _tracks);

        public void OnTracks(IReadOnlyList<MediaTrack> tracks) => Interlocked.Increment(ref _tracks);

        public void OnFrame(MediaFrame frame)
        {
        }
    }
}
