namespace LightNvr.Recording;

/// <summary>
/// The one thread every <see cref="StreamRecorder"/> runs on: a task scheduler with a dedicated thread, so a recorder
/// that wakes to take a burst of frames costs one wake-up of a thread that is already known to be waiting, not a
/// pool thread (the pool wakes a second worker whenever one finds work, and keeps its gate thread ticking while
/// it is busy). A paced camera delivers a burst per pacer tick, so recording N cameras costs this thread at most N
/// wake-ups per tick (fewer when bursts overlap).
/// </summary>
/// <remarks>
/// Recorders do their file writes and fsyncs here, one after the other: cameras share a disk, so running the
/// fsyncs in parallel would not finish them sooner (the first one commits the journal for all). A stalled disk
/// stalls recording only: reading cameras and live viewers run elsewhere, and each recorder's queue drops frames
/// (counted) while it waits. Continuations of a recorder's own awaits come back here; awaits with
/// <c>ConfigureAwait(false)</c> deeper down may finish on the pool, which is harmless.
/// Thread-safety: tasks may be queued from any thread.
/// </remarks>
public sealed class RecorderThread : TaskScheduler, IDisposable
{
    private readonly object _lock = new(); // a Monitor: the thread waits on it
    private readonly Queue<Task> _queue = new();
    private readonly Thread _thread;
    private bool _waiting;
    private bool _disposed;

    public RecorderThread()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "lightnvr-recorder" };
        _thread.Start();
    }

    /// <summary>Only one task runs at a time.</summary>
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Lets queued tasks finish, then ends the thread; tasks queued later run on the thread pool.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            Monitor.Pulse(_lock);
        }
    }

    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _queue.Enqueue(task);
                if (_waiting)
                {
                    Monitor.Pulse(_lock);
                }

                return;
            }
        }

        // After disposal (shutdown): a recorder still finishing must not be stranded.
        ThreadPool.UnsafeQueueUserWorkItem(t => TryExecuteTask(t), task, preferLocal: false);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return _queue.ToArray();
        }
    }

    private void Run()
    {
        while (true)
        {
            Task task;
            lock (_lock)
            {
                while (_queue.Count == 0)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    _waiting = true;
                    Monitor.Wait(_lock);
                    _waiting = false;
                }

                task = _queue.Dequeue();
            }

            TryExecuteTask(task);
        }
    }
}
