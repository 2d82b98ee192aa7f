using System.Diagnostics;
using System.Globalization;
using LightNvr.Data;

namespace LightNvr.Storage;

/// <summary>
/// Thumbnails for recordings (lightnvr-api.md §4.4): made once by an ffmpeg child process (D2: pixels only through
/// ffmpeg) and cached as <c>&lt;storage&gt;/thumbnails/&lt;id&gt;_&lt;index&gt;.jpg</c>. Index 0 is the first picture;
/// with 3 per recording, 1 and 2 are at one half and the end. At most <see cref="MaxConcurrent"/> ffmpeg at once,
/// <see cref="MaxQueued"/> waiting (more is 503 + Retry-After), each killed after <see cref="MaxRunTime"/>.
/// </summary>
public sealed partial class ThumbnailService(StorageRoot root, ILogger<ThumbnailService> logger)
{
    /// <summary>Two ffmpeg decoders at once: the target box has 2–4 cores that also record.</summary>
    public const int MaxConcurrent = 2;

    /// <summary>Requests allowed to wait for a slot: a timeline page shows about a dozen thumbnails.</summary>
    public const int MaxQueued = 16;

    /// <summary>One decode of a keyframe takes well under a second; 15 s covers a slow SD card.</summary>
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromSeconds(15);

    /// <summary>Thumbnail width in pixels (height keeps the aspect ratio).</summary>
    public const int Width = 320;

    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private int _waiting;

    /// <summary>Every cached thumbnail path a recording may have.</summary>
    public static IEnumerable<string> PathsOf(StorageRoot root, long id) =>
        Enumerable.Range(0, 3).Select(i => Path.Combine(root.ThumbnailFolder, $"{id}_{i}.jpg"));

    /// <summary>The cached JPEG, made now when missing; null when ffmpeg failed; throws <see cref="ThumbnailBusyException"/>.</summary>
    public async Task<string?> GetAsync(RecordingRecord recording, string sourcePath, int index, int perRecording, CancellationToken ct)
    {
        var path = Path.Combine(root.ThumbnailFolder, string.Create(CultureInfo.InvariantCulture, $"{recording.Id}_{index}.jpg"));
        if (File.Exists(path))
        {
            return path;
        }
        if (Interlocked.Increment(ref _waiting) > MaxQueued + MaxConcurrent)
        {
            Interlocked.Decrement(ref _waiting);
            throw new ThumbnailBusyException();
        }
        try
        {
            await _slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (File.Exists(path))
                {
                    return path;
                }
                var duration = recording.EndTime is { } e ? (e - recording.StartTime).TotalSeconds : 0;
                var at = index == 0 || perRecording <= 1 ? 0 : duration * index / perRecording;
                return await RunFfmpegAsync(sourcePath, Math.Max(0, at - 0.5), path, ct).ConfigureAwait(false) ? path : null;
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task<bool> RunFfmpegAsync(string source, double atSeconds, string output, CancellationToken ct)
    {
        Directory.CreateDirectory(root.ThumbnailFolder);
        var temp = output + ".tmp.jpg";
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-nostdin", "-v", "error", "-y", "-ss", atSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                     "-i", source, "-frames:v", "1", "-vf", $"scale={Width}:-2", "-q:v", "5", "-f", "image2", temp })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            LogFailed(source, e.Message);
            return false;
        }
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(MaxRunTime);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            File.Delete(temp);
            if (ct.IsCancellationRequested)
            {
                throw;
            }
            LogFailed(source, "timed out");
            return false;
        }
        if (process.ExitCode != 0 || !File.Exists(temp) || new FileInfo(temp).Length == 0)
        {
            LogFailed(source, (await stderr.ConfigureAwait(false)).Trim());
            File.Delete(temp);
            return false;
        }
        File.Move(temp, output, overwrite: true);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thumbnail of {Source} failed: {Reason}")]
    private partial void LogFailed(string source, string reason);
}
