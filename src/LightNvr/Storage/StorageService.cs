using LightNvr.Data;
using LightNvr.Config;
using LightNvr.Hosting;
using LightNvr.Recording;

namespace LightNvr.Storage;

/// <summary>
/// The storage manager: at start finishes deletions a crash interrupted, then runs a <see cref="RetentionSweep"/> every
/// <see cref="SweepInterval"/> and whenever <see cref="RequestCleanup"/> asks. Keeps the last figures for
/// <c>GET /api/storage/health</c>. Stops before the recorders on shutdown (its sweep is cancelled, never half a step:
/// each deletion is crash-safe).
/// </summary>
public sealed partial class StorageService : BackgroundService
{
    /// <summary>Rows per transaction in a sweep: 500 keeps each write lock to a few milliseconds on an SD card.</summary>
    public const int MaxBatchRows = 500;

    /// <summary>Rows per step when freeing space or enforcing a quota (the condition is re-read after each step).</summary>
    public const int MaxPressureBatchRows = 20;

    /// <summary>Shutdown priority: above the recorders (80), so no sweep runs while segments are being closed.</summary>
    public const int ShutdownPriorityStorage = 90;

    /// <summary>Time between sweeps; upstream's storage manager checks every few minutes.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    private readonly RetentionSweep _sweep;
    private readonly RecordingFiles _files;
    private readonly StorageStatsStore _stats;
    private readonly RetentionStore _usage;
    private readonly IDiskSpaceProbe _disk;
    private readonly StorageRoot _root;
    private readonly ConfigSection<StorageOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageService> _logger;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _shutdown;
    private readonly CancellationTokenSource _stopping = new();
    private StorageHealth _health;
    private bool _aggressive;

    public StorageService(RetentionSweep sweep, RecordingFiles files, StorageStatsStore stats, RetentionStore usage,
        IDiskSpaceProbe disk, StorageRoot root, ConfigSection<StorageOptions> storage, ShutdownCoordinator shutdown, TimeProvider time,
        ILogger<StorageService> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _sweep = sweep;
        _files = files;
        _stats = stats;
        _usage = usage;
        _disk = disk;
        _root = root;
        _options = storage;
        _time = time;
        _logger = logger;
        _health = new StorageHealth();
        _shutdown = shutdown.Register("storage", ShutdownPriorityStorage, _ => _stopping.CancelAsync());
    }

    /// <summary>Sweeps completed since start (tests wait on it).</summary>
    public int SweepCount { get; private set; }

    /// <summary>The latest disk figures and what the last sweep did.</summary>
    public StorageHealth Health()
    {
        var free = _sweep.FreePercent();
        var h = _health;
        return h with
        {
            FreeSpacePct = free ?? 0,
            PressureLevel = _sweep.LevelOf(free),
            LastCheckTime = _time.GetUtcNow().ToUnixTimeSeconds(),
        };
    }

    /// <summary>
    /// The fill rate of the last day and week (from the rows: recordings that started in the window, the open segments
    /// by their size on disk) and the projections to <c>min_free_pct</c> and <c>max_size</c> (<see cref="StorageForecast"/>).
    /// </summary>
    public async Task<StorageForecast> ForecastAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var day = await _stats.RecordedSinceAsync((now - StorageForecast.RateWindow).ToUnixTimeSeconds(), _root.FileLength, ct)
            .ConfigureAwait(false);
        var week = await _stats.RecordedSinceAsync((now - StorageForecast.LongRateWindow).ToUnixTimeSeconds(), _root.FileLength, ct)
            .ConfigureAwait(false);
        var options = _options.Current;
        var used = options.MaxSize > 0 ? await _usage.UsedBytesAsync(null, ct).ConfigureAwait(false) : 0;
        return StorageForecast.Compute(day, week, now, _disk.Probe(_root.Path), used, options);
    }

    /// <summary>Asks for a sweep now (POST /api/storage/cleanup); aggressive frees down to the warning threshold.</summary>
    public void RequestCleanup(bool aggressive)
    {
        _aggressive |= aggressive;
        Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>One sweep, synchronously (tests and the cleanup path).</summary>
    public async Task<SweepResult> SweepAsync(bool aggressive, CancellationToken ct)
    {
        var result = await _sweep.RunAsync(aggressive, ct).ConfigureAwait(false);
        _health = _health with
        {
            LastCleanupTime = _time.GetUtcNow().ToUnixTimeSeconds(),
            LastCleanupDeleted = result.Deleted,
            LastCleanupFreed = result.FreedBytes,
        };
        SweepCount++;
        if (result.Deleted > 0)
        {
            LogSwept(result.Deleted, result.FreedBytes);
        }
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stopping.Token);
        var ct = linked.Token;
        try
        {
            var finished = await _files.FinishMarkedAsync(ct).ConfigureAwait(false);
            if (finished > 0)
            {
                LogFinished(finished);
            }
            while (!ct.IsCancellationRequested)
            {
                var aggressive = _aggressive;
                _aggressive = false;
                try
                {
                    await SweepAsync(aggressive, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(e);
                }
                var wake = Volatile.Read(ref _wake);
                await Task.WhenAny(wake.Task, Task.Delay(SweepInterval, _time, ct)).ConfigureAwait(false);
                if (wake.Task.IsCompleted)
                {
                    Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _shutdown.Dispose();
        _stopping.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: deleted {Count} recordings, freed {Bytes} bytes")]
    private partial void LogSwept(int count, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: finished {Count} deletions interrupted by a crash")]
    private partial void LogFinished(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage: sweep failed")]
    private partial void LogSweepFailed(Exception e);
}
