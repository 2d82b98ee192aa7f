using System.Diagnostics;
using LightNvr.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightNvr.Data;

/// <summary>
/// Periodic database backups (<c>[database] backup_interval_minutes</c>, <c>backup_retention_count</c>,
/// <c>post_backup_script</c>, read live): every interval a verified copy (<see cref="DatabaseBackup"/>) named by its
/// UTC time goes to <see cref="DatabaseBackup.Folder"/>, the oldest beyond the kept count are deleted, and the script,
/// if any, runs with the new file's path as its one argument (upstream's hook, e.g. to copy it off the box). The first
/// backup is due one interval after the newest one already there (or after start when there is none), so restarts do
/// not pile up copies. A failed backup is logged and retried at the next check; it never stops the server.
/// </summary>
public sealed partial class DatabaseBackupService(DatabaseBackup backup, ConfigSnapshots config, TimeProvider time,
    ILogger<DatabaseBackupService> logger) : BackgroundService
{
    /// <summary>How often the schedule is looked at: a changed interval applies within this, and a minute is the unit.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long the post-backup script may run before it is killed (a copy to a NAS over a slow link fits).</summary>
    public static readonly TimeSpan MaxScriptTime = TimeSpan.FromMinutes(10);

    /// <summary>When the last backup was taken (or the service started), for the schedule; the newest file's time wins.</summary>
    private DateTimeOffset _last;

    /// <summary>Completed periodic backups since start (tests wait on it).</summary>
    public int Completed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _last = NewestBackupTime() ?? time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CheckInterval, time, stoppingToken).ConfigureAwait(false);
                await RunIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Takes a backup when the interval has passed since the last one (0 = backups off).</summary>
    public async Task RunIfDueAsync(CancellationToken ct)
    {
        var options = config.Current.Database;
        var now = time.GetUtcNow();
        if (!backup.IsSupported || options.BackupIntervalMinutes <= 0 || now - _last < TimeSpan.FromMinutes(options.BackupIntervalMinutes))
        {
            return;
        }
        _last = now;
        var path = Path.Combine(backup.Folder, DatabaseBackup.FileNameFor(now));
        try
        {
            await backup.BackupToAsync(path, ct).ConfigureAwait(false);
            Completed++;
            LogBackedUp(path);
            Prune(options.BackupRetentionCount);
            if (options.PostBackupScript.Length > 0)
            {
                await RunScriptAsync(options.PostBackupScript, path, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
            or System.Data.Common.DbException)
        {
            LogFailed(path, e.Message);
        }
    }

    /// <summary>The kept backups, oldest first (names sort by time).</summary>
    public IReadOnlyList<string> Backups() =>
        Directory.Exists(backup.Folder)
            ? [.. Directory.EnumerateFiles(backup.Folder, DatabaseBackup.FilePrefix + "*" + DatabaseBackup.FileExtension)
                .Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Deletes the oldest backups beyond <paramref name="keep"/> (0 = keep all).</summary>
    private void Prune(int keep)
    {
        var files = Backups();
        for (var i = 0; keep > 0 && i < files.Count - keep; i++)
        {
            File.Delete(files[i]);
            LogPruned(files[i]);
        }
    }

    private DateTimeOffset? NewestBackupTime() =>
        Backups() is { Count: > 0 } files ? new DateTimeOffset(File.GetLastWriteTimeUtc(files[^1]), TimeSpan.Zero) : null;

    private async Task RunScriptAsync(string script, string backupPath, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(script) { ArgumentList = { backupPath }, UseShellExecute = false });
            if (process is null)
            {
                return;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(MaxScriptTime);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (process.ExitCode != 0)
            {
                LogScriptFailed(script, $"exit code {process.ExitCode}");
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException
            or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogScriptFailed(script, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Database backed up to {Path} (integrity_check ok)")]
    private partial void LogBackedUp(string path);

    [LoggerMessage(LogLevel.Error, "Database backup to {Path} failed: {Reason}")]
    private partial void LogFailed(string path, string reason);

    [LoggerMessage(LogLevel.Information, "Old database backup {Path} deleted (backup_retention_count)")]
    private partial void LogPruned(string path);

    [LoggerMessage(LogLevel.Warning, "Post-backup script {Script} failed: {Reason}")]
    private partial void LogScriptFailed(string script, string reason);
}
