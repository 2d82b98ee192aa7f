using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Streaming;

namespace LightNvr.Cameras;

/// <summary>
/// One running camera: its configuration, its <see cref="StreamHub"/> (every consumer subscribes there), the
/// <see cref="SourceSupervisor"/> that keeps the camera connected, and what its video turned out to be.
/// A recorded stream is always connected on the node holding its recording lease (every stream on one box); any other
/// is connected on demand (first subscriber, then a linger), so with several nodes only the holder keeps the camera's
/// session open (docs/scale.md "Live view on any node").
/// <see cref="Reconfigure"/> takes a changed row that keeps the connection (recorder settings, names shown in the UI)
/// without touching the hub. Thread-safety: members may be read from any thread.
/// </summary>
public sealed class CameraStream : IAsyncDisposable
{
    private volatile string? _recordingError;
    private volatile StreamConfig _config;
    private volatile bool _keepConnected;
    private volatile bool _leaseHeld = true;

    public CameraStream(StreamConfig config, Func<IMediaSink, CancellationToken, Task> source, TimeProvider time)
    {
        _config = config;
        Hub = new StreamHub(config.Name);
        Supervisor = new SourceSupervisor(Hub, source, time);
        Hub.TracksChanged += (_, _) => Probe.Reset();
        Hub.FramePublished += Probe.OnFrame;
    }

    /// <summary>The stream's row as last applied (at start, or by <see cref="Reconfigure"/>).</summary>
    public StreamConfig Config => _config;

    public string Name => Config.Name;

    public StreamHub Hub { get; }

    public SourceSupervisor Supervisor { get; }

    public VideoInfoProbe Probe { get; } = new();

    /// <summary>Set by the recorder while it cannot write (disk full, I/O error); shown as the stream's error.</summary>
    public string? RecordingError
    {
        get => _recordingError;
        set => _recordingError = value;
    }

    /// <summary>Connects now when recorded (or when asked to keep connected); otherwise on the first subscriber.</summary>
    public void Start(bool keepConnected)
    {
        _keepConnected = keepConnected;
        Supervisor.AlwaysOn = KeepsConnected(Config);
    }

    /// <summary>
    /// Whether this node holds the stream's recording lease (always true on one box). Gained: a recorded stream is
    /// kept connected; lost: it is connected on demand again (it stays up while anyone here watches).
    /// </summary>
    public bool LeaseHeld
    {
        get => _leaseHeld;
        set
        {
            _leaseHeld = value;
            Supervisor.AlwaysOn = KeepsConnected(Config);
        }
    }

    private bool KeepsConnected(StreamConfig config) => _keepConnected || (config.Record && _leaseHeld);

    /// <summary>
    /// Takes a changed row of the same camera (same name, URL and protocol: the caller checks) without reconnecting:
    /// the hub and its subscribers stay. Recording turned off makes the connection on demand again (it stays up while
    /// anyone watches); turned on keeps it connected.
    /// </summary>
    public void Reconfigure(StreamConfig config)
    {
        _config = config;
        Supervisor.AlwaysOn = KeepsConnected(config);
    }

    /// <summary>The stream JSON's status (upstream's words: Running, Starting, Reconnecting, Error, Stopped).</summary>
    public StreamStatus Status
    {
        get
        {
            var source = Supervisor.Status;
            return source.State switch
            {
                SourceState.Connected when RecordingError is { } error => new StreamStatus("Error", error),
                SourceState.Connected => new StreamStatus("Running"),
                SourceState.Connecting when source.Failures == 0 => new StreamStatus("Starting"),
                SourceState.Connecting => new StreamStatus("Reconnecting", source.Reason),
                SourceState.Error => new StreamStatus("Error", source.Reason ?? "connection failed"),
                _ => new StreamStatus(Supervisor.AlwaysOn ? "Starting" : "Stopped"),
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Supervisor.DisposeAsync().ConfigureAwait(false);
        Hub.Dispose();
    }
}
