using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// Writes the <see cref="PendingRows"/> queue to the database, oldest first, when it answers again: once at start-up
/// (before recovery looks for files without a row) and every <see cref="Interval"/> while rows wait. The first row
/// the database still refuses for an outage stops the pass (order kept; the rest wait for the next); a row that fails
/// for any other reason is logged and given up, its file kept (sync can adopt it). Written, gone and refused rows
/// leave the journal together after the pass. Safe to repeat: a row already written is found by its file.
/// </summary>
public sealed partial class PendingRowReplay(PendingRows rows, RecordingFiles files, TimeProvider time, ILogger<PendingRowReplay> logger)
    : IAsyncDisposable
{
    /// <summary>How often a waiting queue is tried: the lease heartbeat's default, so rows follow the database's return closely.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;

    public PendingRows Rows => rows;

    /// <summary>One pass over the queue; returns how many rows it took out (written, gone or refused).</summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var queued = rows.Snapshot();
            int done = 0, written = 0, refused = 0, gone = 0;
            foreach (var row in queued)
            {
                try
                {
                    switch (await files.ReplayAsync(row, ct).ConfigureAwait(false))
                    {
                        case ReplayOutcome.Written: written++; break;
                        case ReplayOutcome.Refused: refused++; LogRefused(row.Recording.StreamName, row.Recording.FilePath); break;
                        default: gone++; break;
                    }
                }
                catch (Exception e) when (DatabaseErrors.IsUnavailable(e) && !ct.IsCancellationRequested)
                {
                    break; // still away: the rest keep their order for the next pass
                }
#pragma warning disable CA1031 // one bad row must not block the queue behind it
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogGivenUp(row.ToString(), e.Message);
                }
                done++;
            }

            rows.RemoveFirst(done);
            if (done > 0)
            {
                LogDrained(written, refused, gone, rows.Count);
            }
            return done;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the background pass every <see cref="Interval"/> (a pass runs only while rows wait).</summary>
    public void Start()
    {
        _stop = new CancellationTokenSource();
        _loop = LoopAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        if (_stop is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _stop, null)?.Dispose();
        _gate.Dispose();
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, ct).ConfigureAwait(false);
                if (rows.Count > 0)
                {
                    await DrainAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the journal's own I/O failing (disk) is logged and tried again
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPassFailed(e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pending rows: {Written} written, {Refused} refused by fencing, {Gone} gone; {Left} still queued")]
    private partial void LogDrained(int written, int refused, int gone, int left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending row of {Stream} refused (another node recorded the camera meanwhile): {Path} deleted")]
    private partial void LogRefused(string stream, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending row {Row} given up: {Reason}; its file is kept")]
    private partial void LogGivenUp(string row, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending-row pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
