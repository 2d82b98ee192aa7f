using System.Buffers;

namespace LightNvr.Detection.Objects;

/// <summary>
/// The one inference queue of the server (issue 14): every stream's object frames go through one worker thread, so
/// detection takes at most the cores ONNX Runtime is given (<c>[detection_engine] threads</c>) whatever the number of
/// cameras. The backlog is bounded: a frame offered to a full queue pushes the oldest one out (counted, globally and
/// on its stream), so a slow detector loses stale frames and never makes a decoder, the hub or recording wait.
/// The thread starts with the first frame and is a plain thread, not the thread pool's, so a 100 ms inference never
/// holds a worker the camera I/O needs.
/// </summary>
public sealed class ObjectDetectionQueue : IDisposable
{
    /// <summary>
    /// Frames waiting at most: 8. At 1 detection/s per camera and ~60–120 ms per inference (docs/BENCHMARKS.md), 8
    /// frames is about a second of 16 cameras' work; anything older describes a scene that has moved on.
    /// </summary>
    public const int MaxBacklog = 8;

    private readonly string _threadName;
    private readonly Lock _lock = new();
    private readonly Queue<Job> _jobs = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _worker;
    private long _dropped, _processed;

    /// <param name="threadName">The worker thread's name, as a debugger or <c>top -H</c> shows it.</param>
    public ObjectDetectionQueue(string threadName = "object-detection")
    {
        _threadName = threadName;
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Processed => Interlocked.Read(ref _processed);

    public int Backlog
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="frame"/> for <paramref name="owner"/>. <paramref name="rented"/> (from
    /// <see cref="ArrayPool{T}.Shared"/>, holding the pixels) now belongs to the queue, which returns it after the run or
    /// the drop. Never blocks.
    /// </summary>
    public void Enqueue(StreamObjectDetection owner, RgbFrame frame, byte[] rented)
    {
        Job? dropped = null;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                dropped = new Job(owner, frame, rented);
            }
            else
            {
                if (_jobs.Count >= MaxBacklog)
                {
                    dropped = _jobs.Dequeue();
                }
                _jobs.Enqueue(new Job(owner, frame, rented));
                if (_worker is null)
                {
                    _worker = new Thread(Work) { IsBackground = true, Name = _threadName };
                    _worker.Start();
                }
            }
        }
        if (dropped is not null)
        {
            Interlocked.Increment(ref _dropped);
            dropped.Owner.CountDrop();
            ArrayPool<byte>.Shared.Return(dropped.Buffer);
        }
        _signal.Release();
    }

    public void Dispose()
    {
        Thread? worker;
        lock (_lock)
        {
            _stop.Cancel();
            worker = _worker;
        }
        worker?.Join(TimeSpan.FromSeconds(10));
        lock (_lock)
        {
            while (_jobs.TryDequeue(out var job))
            {
                ArrayPool<byte>.Shared.Return(job.Buffer);
            }
        }
    }

    private void Work()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                _signal.Wait(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Job? job;
            lock (_lock)
            {
                if (!_jobs.TryDequeue(out job))
                {
                    continue; // its frame was pushed out by a newer one
                }
            }
            try
            {
                job.Owner.Run(job.Frame, ct);
                Interlocked.Increment(ref _processed);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(job.Buffer);
            }
        }
    }

    private sealed record Job(StreamObjectDetection Owner, RgbFrame Frame, byte[] Buffer);
}
