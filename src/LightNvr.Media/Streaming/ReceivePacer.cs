namespace LightNvr.Media.Streaming;

/// <summary>
/// One shared tick for receive loops whose consumers do not need each packet at once (a camera that is only being
/// recorded). Instead of waking on every packet (about 30 socket reads a second per camera, each a thread wake-up,
/// which is most of what recording costs), such a loop reads what has arrived, then waits here; every waiting loop
/// is resumed together on the next tick and finds a burst of packets ready. One timer serves all loops; it runs
/// while loops wait and stops after a period without any.
/// </summary>
/// <remarks>
/// Waiters are resumed inline, one after the other, on the timer's thread: each does a non-blocking read and hands
/// frames to its hub (queue writes only), so a tick costs one thread wake-up for all cameras. The data waits in the
/// kernel's socket buffer meanwhile (200 ms of a 16 Mbit/s camera is 400 KB; TCP receive buffers grow to MBs).
/// Thread-safety: any thread may call <see cref="NextTickAsync"/>.
/// </remarks>
public sealed class ReceivePacer : IDisposable
{
    /// <summary>
    /// Period of the shared tick: data of a recorded-only camera reaches its recorder at most this late. Adds to what
    /// a kill -9 can lose (the fragment being built, ~1 s, plus this).
    /// </summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMilliseconds(200);

    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private readonly TimeSpan _period;
    private TaskCompletionSource? _next;
    private bool _running;
    private bool _disposed;
    private long _ticks;

    public ReceivePacer(TimeSpan period, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _period = period;
        _timer = time.CreateTimer(static state => ((ReceivePacer)state!).Tick(), this, Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>The process-wide pacer used by camera sources.</summary>
    public static ReceivePacer Shared { get; } = new(DefaultPeriod, TimeProvider.System);

    /// <summary>Ticks that resumed at least one waiter.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>
    /// Completes on the next tick (at most one period from now). The continuation runs on the timer's thread and
    /// must not block.
    /// </summary>
    public Task NextTickAsync()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Not RunContinuationsAsynchronously: resuming every waiter inline is the point (one wake-up).
            _next ??= new TaskCompletionSource();
            if (!_running)
            {
                // Periodic while in use: re-arming a one-shot timer on every tick would also wake the runtime's
                // timer thread just to shorten its wait.
                _running = true;
                _timer.Change(_period, _period);
            }

            return _next.Task;
        }
    }

    /// <summary>Stops the timer and releases whoever waits (their next call throws).</summary>
    public void Dispose()
    {
        TaskCompletionSource? waiting;
        lock (_lock)
        {
            _disposed = true;
            _running = false;
            waiting = _next;
            _next = null;
            _timer.Dispose(); // under the lock: a tick in flight then finds _disposed and leaves the timer alone
        }

        waiting?.TrySetResult();
    }

    private void Tick()
    {
        TaskCompletionSource? due;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            due = _next;
            _next = null; // a waiter that comes back during this tick waits for the next one
            if (due is null && _running)
            {
                _running = false; // a whole period without a waiter: stop until the next one
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        if (due is not null)
        {
            Interlocked.Increment(ref _ticks);
            due.TrySetResult();
        }
    }
}
