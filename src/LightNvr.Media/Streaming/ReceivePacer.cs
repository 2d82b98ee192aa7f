namespace LightNvr.Media.Streaming;

/// <summary>
/// One shared tick for receive loops whose consumers do not need each packet at once (a camera that is only being
/// recorded). Instead of waking on every packet (about 30 socket reads a second per camera, each a thread wake-up,
/// which is most of what recording costs), such a loop reads what has arrived, then waits here; every waiting loop
/// is resumed together on the next tick and finds a burst of packets ready. The tick runs while loops wait and stops
/// after a period without any.
/// </summary>
/// <remarks>
/// Waiters are resumed inline, one after the other, on the ticking thread: each does a non-blocking read and hands
/// frames to its hub (queue writes only), so a tick costs one thread wake-up for all cameras. The data waits in the
/// kernel's socket buffer meanwhile (200 ms of a 16 Mbit/s camera is 400 KB; TCP receive buffers grow to MBs).
/// <see cref="Shared"/> ticks on a thread of its own (<see cref="StartOwnThread"/>): a runtime timer would cost two
/// more wake-ups per tick (the timer thread, then a pool thread that runs the callback and re-arms the timer thread).
/// A pacer made with a <see cref="TimeProvider"/> ticks on that provider's timer, so tests drive it by hand.
/// Thread-safety: any thread may call <see cref="NextTickAsync"/>.
/// </remarks>
public sealed class ReceivePacer : IDisposable
{
    /// <summary>
    /// Period of the shared tick: data of a recorded-only camera reaches its recorder at most this late. Adds to what
    /// a kill -9 can lose (the fragment being built, ~1 s, plus this).
    /// </summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMilliseconds(200);

    private readonly object _lock = new(); // a Monitor, not a Lock: the own thread waits on it
    private readonly ITimer? _timer;
    private readonly TimeSpan _period;
    private TaskCompletionSource? _next;
    private bool _running;
    private bool _disposed;
    private long _ticks;

    /// <summary>A pacer that ticks on <paramref name="time"/>'s timer.</summary>
    public ReceivePacer(TimeSpan period, TimeProvider time)
        : this(period)
    {
        ArgumentNullException.ThrowIfNull(time);
        _timer = time.CreateTimer(static state => ((ReceivePacer)state!).Tick(), this, Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    private ReceivePacer(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _period = period;
    }

    /// <summary>The process-wide pacer used by camera sources.</summary>
    public static ReceivePacer Shared { get; } = StartOwnThread(DefaultPeriod);

    /// <summary>Ticks that resumed at least one waiter.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>A pacer that ticks on a background thread of its own, which sleeps while nobody waits.</summary>
    public static ReceivePacer StartOwnThread(TimeSpan period)
    {
        var pacer = new ReceivePacer(period);
        new Thread(pacer.TickLoop) { IsBackground = true, Name = "lightnvr-pacer" }.Start();
        return pacer;
    }

    /// <summary>
    /// Completes on the next tick (at most one period from now). The continuation runs on the ticking thread and
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
                _running = true;
                if (_timer is null)
                {
                    Monitor.Pulse(_lock); // wake the parked tick thread
                }
                else
                {
                    // Periodic while in use: re-arming a one-shot timer on every tick would also wake the runtime's
                    // timer thread just to shorten its wait.
                    _timer.Change(_period, _period);
                }
            }

            return _next.Task;
        }
    }

    /// <summary>Stops ticking and releases whoever waits (their next call throws).</summary>
    public void Dispose()
    {
        TaskCompletionSource? waiting;
        lock (_lock)
        {
            _disposed = true;
            _running = false;
            waiting = _next;
            _next = null;
            _timer?.Dispose(); // under the lock: a tick in flight then finds _disposed and leaves the timer alone
            Monitor.Pulse(_lock);
        }

        waiting?.TrySetResult();
    }

    /// <summary>
    /// The own thread: parked while nobody waits, otherwise one sleep per period on a fixed schedule (a slow tick
    /// makes the next one come sooner, never drift).
    /// </summary>
    private void TickLoop()
    {
        var next = Environment.TickCount64;
        while (true)
        {
            lock (_lock)
            {
                while (!_running && !_disposed)
                {
                    Monitor.Wait(_lock);
                    next = Environment.TickCount64 + (long)_period.TotalMilliseconds;
                }

                if (_disposed)
                {
                    return;
                }

                var wait = next - Environment.TickCount64;
                if (wait > 0)
                {
                    // Woken early only by Dispose (or a spurious pulse: the loop checks the time again).
                    Monitor.Wait(_lock, (int)wait);
                    if (_disposed)
                    {
                        return;
                    }

                    if (Environment.TickCount64 < next)
                    {
                        continue;
                    }
                }
            }

            next = Math.Max(next + (long)_period.TotalMilliseconds, Environment.TickCount64 + 1);
            Tick();
        }
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
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        if (due is not null)
        {
            Interlocked.Increment(ref _ticks);
            due.TrySetResult();
        }
    }
}
