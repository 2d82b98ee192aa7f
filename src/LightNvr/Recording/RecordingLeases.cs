using System.Collections.Concurrent;
using System.Reflection;
using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// Which cameras this node records (docs/scale.md). With SQLite (one box) there is nothing to share: the node holds
/// every camera and nothing runs. With PostgreSQL each node heartbeats every <c>[cluster] heartbeat_interval</c>: it
/// writes its <c>nodes</c> row, renews its leases for <c>lease_ttl</c>, then claims and releases by
/// <see cref="LeasePlan"/>. <see cref="LeaseChanged"/> tells the <see cref="RecordingService"/> to start or stop that
/// camera's recorder; a release waits for the recorder to stop (its segment finished) before the row is given up, so
/// the next holder never overlaps it.
/// <para>
/// Fencing: a renewal that no longer returns a lease (another node took it after it expired) stops that recorder at
/// once, and every recording row carries the lease epoch, refused by the database if the epoch moved
/// (<see cref="RecordingStore.InsertOpenAsync"/>). While the database cannot be reached at all the node keeps recording
/// what it holds (a database outage must not stop every node): nobody can take a lease over while nobody reaches the
/// database, and on its return the renewal says which leases are still ours. After a (re)connection a node waits one
/// lease time before taking leases that merely expired, so the others renew theirs first.
/// </para>
/// <para>Each heartbeat also applies stream changes made through other nodes (<see cref="StreamSync"/>).</para>
/// </summary>
public sealed partial class RecordingLeases : IHostedService, IAsyncDisposable, Cameras.ICameraLeases
{
    private readonly LeaseStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordingLeases> _logger;
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tick = new(1, 1);
    private readonly NodeRecord _node;
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private long? _connectedSince;
    private int _disposed;
    private readonly Func<StreamSync?>? _streams;
    private ClusterView? _view;

    /// <param name="streams">
    /// The stream sync, looked up at the first heartbeat: it reaches the stream listeners (detection, event recording),
    /// which themselves follow this service's leases, so it cannot be a constructor dependency.
    /// </param>
    public RecordingLeases(LightNvrConfig config, Database database, LeaseStore store, TimeProvider time, ILogger<RecordingLeases> logger,
        Func<StreamSync?>? streams = null)
    {
        _streams = streams;
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(database);
        _store = store;
        _time = time;
        _logger = logger;
        var cluster = config.Cluster;
        Enabled = database.Engine == DatabaseEngine.Postgresql;
        NodeId = NodeRecord.LocalId(cluster.NodeId);
        Interval = TimeSpan.FromSeconds(cluster.HeartbeatInterval);
        Ttl = TimeSpan.FromSeconds(Math.Max(cluster.LeaseTtl, 2 * cluster.HeartbeatInterval));
        _node = new NodeRecord
        {
            NodeId = NodeId,
            Address = cluster.ApiUrl.Length > 0 ? cluster.ApiUrl.TrimEnd('/') : $"http://{Environment.MachineName}:{config.Web.Port}",
            Capacity = cluster.Capacity,
            PinnedStreams = NodeRecord.SplitNames(cluster.PinnedStreams),
            StorageId = cluster.StorageId.Trim(),
            RtspAddress = cluster.RtspUrl.Length > 0 ? cluster.RtspUrl.TrimEnd('/')
                : config.Go2rtc.RtspPort > 0 ? $"rtsp://{Environment.MachineName}:{config.Go2rtc.RtspPort}" : "",
            Version = typeof(RecordingLeases).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            StartedAt = time.GetUtcNow(),
        };
    }

    /// <summary>False on SQLite: this node records everything and no lease is kept.</summary>
    public bool Enabled { get; }

    public string NodeId { get; }

    public TimeSpan Interval { get; }

    public TimeSpan Ttl { get; }

    /// <summary>This node's row as it writes it.</summary>
    public NodeRecord Node => _node;

    /// <summary>Whether the last heartbeat reached the database.</summary>
    public bool DatabaseReachable { get; private set; } = true;

    /// <summary>
    /// Raised (each subscriber awaited) when a camera's lease is gained or lost: the recording service re-applies that
    /// camera, the event recorder and detection start or stop theirs.
    /// </summary>
    public event Func<string, Task>? LeaseChanged;

    /// <summary>Whether this node records <paramref name="stream"/> (always on SQLite).</summary>
    public bool Holds(string stream) => !Enabled || _held.ContainsKey(stream);

    /// <summary>The fencing token for a recording row of <paramref name="stream"/>: null on SQLite (no check).</summary>
    public long? EpochOf(string stream) => Enabled && _held.TryGetValue(stream, out var epoch) ? epoch : null;

    /// <summary>
    /// The leases and nodes as the last heartbeat read them (null before the first, and on SQLite): who holds the
    /// cameras this node does not, for relaying their live view from the holder (<c>Relay/RelaySourceFactory</c>).
    /// </summary>
    public ClusterView? View => Volatile.Read(ref _view);

    public IReadOnlyDictionary<string, long> Held => new Dictionary<string, long>(_held, StringComparer.Ordinal);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await TickAsync(cancellationToken).ConfigureAwait(false); // leases first: cameras start after (StartupSequence)
        _stop = new CancellationTokenSource();
        _loop = LoopAsync(_stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        // The recorders stopped before (the recording service starts after this one, so it stops before): give the
        // leases up so the other nodes take the cameras at their next heartbeat instead of after the lease time.
        try
        {
            await _store.LeaveAsync(NodeId, cancellationToken).ConfigureAwait(false);
            foreach (var stream in _held.Keys.ToArray())
            {
                await _store.ReleaseAsync(NodeId, stream, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // shutting down: the leases expire on their own
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReleaseFailed(e.Message);
        }
        _held.Clear();
    }

    /// <summary>Idempotent: the container disposes it once as itself and once as the hosted service its factory returns.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stop, null) is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            stop.Dispose();
        }
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _tick.Dispose();
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _time, ct).ConfigureAwait(false);
                await TickAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the heartbeat must keep running; a failure is logged and retried next interval
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTickFailed(e.Message);
            }
        }
    }

    /// <summary>One heartbeat: node row, renewals (losses stop recorders), then claims and releases.</summary>
    public async Task TickAsync(CancellationToken ct = default)
    {
        await _tick.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IReadOnlyList<CameraLease> renewed;
            try
            {
                await _store.HeartbeatAsync(_node with { }, ct).ConfigureAwait(false);
                renewed = await _store.RenewAsync(NodeId, Ttl, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or System.Net.Sockets.SocketException
                or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                if (DatabaseReachable)
                {
                    LogDatabaseLost(e.Message, _held.Count);
                }
                DatabaseReachable = false;
                _connectedSince = null;
                return; // keep recording what we hold (see the class note)
            }

            if (!DatabaseReachable)
            {
                LogDatabaseBack();
            }
            DatabaseReachable = true;
            _connectedSince ??= _time.GetTimestamp();

            var kept = renewed.ToDictionary(l => l.StreamName, l => l.Epoch, StringComparer.Ordinal);
            foreach (var (stream, epoch) in _held.ToArray())
            {
                if (!kept.TryGetValue(stream, out var now) || now != epoch)
                {
                    _held.TryRemove(stream, out _);
                    LogLost(stream, epoch);
                    await NotifyAsync(stream).ConfigureAwait(false);
                }
            }
            foreach (var lease in renewed.Where(l => !_held.ContainsKey(l.StreamName)))
            {
                _held[lease.StreamName] = lease.Epoch; // ours from before a restart, still valid: record it again
                await NotifyAsync(lease.StreamName).ConfigureAwait(false);
            }

            if (_streams?.Invoke() is { } streams)
            {
                // Streams added, changed or deleted through another node's API start or stop here first, so that a
                // lease claimed below finds its camera running.
                await streams.SyncAsync(ct).ConfigureAwait(false);
            }
            await BalanceAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _tick.Release();
        }
    }

    private async Task BalanceAsync(CancellationToken ct)
    {
        var streams = await _store.EnabledStreamsAsync(ct).ConfigureAwait(false);
        var leases = await _store.ListLeasesAsync(ct).ConfigureAwait(false);
        var nodes = await _store.ListNodesAsync(ct).ConfigureAwait(false);
        Volatile.Write(ref _view, new ClusterView(leases, nodes, _time.GetTimestamp()));
        var live = nodes.Where(n => n.NodeId == NodeId || n.HeartbeatAgeMilliseconds < Ttl.TotalMilliseconds).ToList();
        var plan = LeasePlan.Of(NodeId, _node.Capacity, streams, leases, live, nodes);
        var settled = _connectedSince is { } since && _time.GetElapsedTime(since) >= Ttl;
        foreach (var stream in plan.Claim)
        {
            if (await _store.ClaimAsync(NodeId, stream, Ttl, takeExpired: settled, ct).ConfigureAwait(false) is { } epoch)
            {
                _held[stream] = epoch;
                LogClaimed(stream, epoch);
                await NotifyAsync(stream).ConfigureAwait(false);
            }
        }
        foreach (var stream in plan.Release)
        {
            if (_held.TryRemove(stream, out _))
            {
                await NotifyAsync(stream).ConfigureAwait(false); // the recorder stops (segment finished) first
            }
            await _store.ReleaseAsync(NodeId, stream, ct).ConfigureAwait(false);
            LogReleased(stream);
        }
    }

    private async Task NotifyAsync(string stream)
    {
        // Every subscriber (recorder, event recorder, detection), each awaited: a multicast call awaits only the last.
        foreach (var handler in LeaseChanged?.GetInvocationList().Cast<Func<string, Task>>() ?? [])
        {
            try
            {
                await handler(stream).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a recorder that fails to start or stop is the recording service's to report
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogApplyFailed(stream, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: lease of {Stream} claimed (epoch {Epoch})")]
    private partial void LogClaimedCore(string node, string stream, long epoch);

    private void LogClaimed(string stream, long epoch) => LogClaimedCore(NodeId, stream, epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of {Stream} (epoch {Epoch}) lost to another node: its recorder stops")]
    private partial void LogLost(string stream, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease of {Stream} released for another node (rebalancing)")]
    private partial void LogReleased(string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the leases at shutdown (they expire on their own): {Reason}")]
    private partial void LogReleaseFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease heartbeat failed: {Reason}")]
    private partial void LogTickFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable for the lease heartbeat ({Reason}): keeping the {Count} cameras held")]
    private partial void LogDatabaseLost(string reason, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database reachable again: leases renewed")]
    private partial void LogDatabaseBack();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying the lease change of {Stream} failed: {Reason}")]
    private partial void LogApplyFailed(string stream, string reason);
}
