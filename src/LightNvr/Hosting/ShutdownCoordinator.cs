namespace LightNvr.Hosting;

/// <summary>
/// Stops registered components in priority order (highest first, see <see cref="ShutdownPriority"/>) when the host
/// stops (SIGTERM, SIGINT, <c>POST /api/system/shutdown</c>). Each priority group gets at most
/// <see cref="MaxStopTime"/>; a component that overruns is logged by name and abandoned so the next group still
/// stops. A DI singleton: <c>coordinator.Register("recorder:cam1", ShutdownPriority.Recorders, ct => ...)</c>; dispose
/// the returned handle to unregister (e.g. when a camera is deleted).
/// </summary>
public sealed class ShutdownCoordinator
{
    /// <summary>Per priority group. A recorder finalising an MP4 fragment needs well under a second; with four groups
    /// this keeps the worst case (20 s) inside systemd's default 90 s stop timeout and our host's 30 s.</summary>
    public static readonly TimeSpan MaxStopTime = TimeSpan.FromSeconds(5);

    private readonly List<Registration> _registrations = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ShutdownCoordinator> _logger;
    private readonly TimeSpan _stopTime;
    private int _stopping;

    public ShutdownCoordinator(TimeProvider time, ILogger<ShutdownCoordinator> logger)
        : this(time, logger, MaxStopTime)
    {
    }

    internal ShutdownCoordinator(TimeProvider time, ILogger<ShutdownCoordinator> logger, TimeSpan stopTime)
    {
        _time = time;
        _logger = logger;
        _stopTime = stopTime;
    }

    /// <summary>True once <see cref="StopAllAsync"/> has begun; long-running work can refuse new jobs.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Names of the components that overran their time in the last stop (for tests and diagnostics).</summary>
    public IReadOnlyList<string> Overran { get; private set; } = [];

    public IDisposable Register(string name, int priority, Func<CancellationToken, Task> stop)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(stop);
        var registration = new Registration(this, name, priority, stop);
        lock (_lock)
        {
            _registrations.Add(registration);
        }

        return registration;
    }

    /// <summary>Stops everything once; later calls return at once.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        List<Registration> all;
        lock (_lock)
        {
            all = [.. _registrations];
        }

        var overran = new List<string>();
        foreach (var group in all.GroupBy(r => r.Priority).OrderByDescending(g => g.Key))
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var started = _time.GetTimestamp();
            var tasks = group.Select(r => (r.Name, Task: RunOne(r, cts.Token))).ToList();
            var all2 = Task.WhenAll(tasks.Select(t => t.Task));
            try
            {
                await all2.WaitAsync(_stopTime, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                foreach (var (name, task) in tasks.Where(t => !t.Task.IsCompleted))
                {
                    overran.Add(name);
                    _logger.LogWarning("Shutdown: {Name} (priority {Priority}) did not stop within {Seconds:0.#} s; moving on", name, group.Key, _stopTime.TotalSeconds);
                }

                await cts.CancelAsync().ConfigureAwait(false);
            }

            _logger.LogDebug("Shutdown: priority {Priority} stopped in {Ms:0} ms", group.Key, _time.GetElapsedTime(started).TotalMilliseconds);
        }

        Overran = overran;
    }

    private async Task RunOne(Registration registration, CancellationToken token)
    {
        try
        {
            await registration.Stop(token).ConfigureAwait(false);
            _logger.LogDebug("Shutdown: {Name} stopped", registration.Name);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled because it overran its group's budget: the overrun warning already said so; not a failure.
            _logger.LogDebug("Shutdown: {Name} cancelled after overrunning", registration.Name);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Shutdown: {Name} failed while stopping", registration.Name);
        }
    }

    private void Remove(Registration registration)
    {
        lock (_lock)
        {
            _registrations.Remove(registration);
        }
    }

    private sealed class Registration(ShutdownCoordinator owner, string name, int priority, Func<CancellationToken, Task> stop) : IDisposable
    {
        public string Name => name;

        public int Priority => priority;

        public Func<CancellationToken, Task> Stop => stop;

        public void Dispose() => owner.Remove(this);
    }
}
