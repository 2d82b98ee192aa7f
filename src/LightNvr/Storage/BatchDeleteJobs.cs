using System.Collections.Concurrent;
using LightNvr.Recording;

namespace LightNvr.Storage;

/// <summary>
/// Batch deletes as background jobs: each runs the ids (oldest first) through <see cref="RecordingFiles"/> in
/// batches of <see cref="StorageService.MaxBatchRows"/>, updating progress as it goes. Finished jobs are kept
/// <see cref="KeepFinished"/> (upstream keeps them 600 s); at most <see cref="MaxJobs"/> are remembered.
/// </summary>
public sealed class BatchDeleteJobs(RecordingFiles files, TimeProvider time, IHostApplicationLifetime lifetime)
{
    /// <summary>How long a finished job's progress stays readable.</summary>
    public static readonly TimeSpan KeepFinished = TimeSpan.FromSeconds(600);

    /// <summary>Jobs remembered at once (running and finished); a new one beyond this is refused with 503.</summary>
    public const int MaxJobs = 64;

    /// <summary>Most recordings one job deletes (a filter matching more is cut at this many, oldest first).</summary>
    public const int MaxIdsPerJob = 100_000;

    private readonly ConcurrentDictionary<string, BatchDeleteJob> _jobs = new(StringComparer.Ordinal);

    public BatchDeleteJob? Get(string id)
    {
        Forget();
        return _jobs.TryGetValue(id, out var job) ? job : null;
    }

    /// <summary>Starts a job over the ids; null when too many jobs are remembered.</summary>
    public BatchDeleteJob? Start(IReadOnlyList<long> ids)
    {
        Forget();
        if (_jobs.Count >= MaxJobs)
        {
            return null;
        }
        var job = new BatchDeleteJob(Guid.NewGuid().ToString(), ids.Count);
        _jobs[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, ids, lifetime.ApplicationStopping));
        return job;
    }

    private async Task RunAsync(BatchDeleteJob job, IReadOnlyList<long> ids, CancellationToken ct)
    {
        job.Status = "running";
        try
        {
            foreach (var chunk in ids.Chunk(StorageService.MaxBatchRows))
            {
                var (count, _) = await files.RemoveAsync(chunk, ct).ConfigureAwait(false);
                Interlocked.Add(ref job.succeeded, count);
                Interlocked.Add(ref job.failed, chunk.Length - count);
                Interlocked.Add(ref job.current, chunk.Length);
            }
            job.Status = "complete";
        }
        catch (Exception e)
        {
            job.Error = e.Message;
            job.Status = "error";
        }
        job.ForgetAfter = time.GetUtcNow().Add(KeepFinished).ToUnixTimeSeconds();
    }

    private void Forget()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (id, job) in _jobs)
        {
            if (job.ForgetAfter < now)
            {
                _jobs.TryRemove(id, out _);
            }
        }
    }
}
