using System.Security.Cryptography;
using System.Text;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Import;

/// <summary>
/// Brings a box running upstream LightNVR over (issue 17 item 8): from a snapshot of its database, the streams, users
/// (with their API keys, hashed), zones, motion settings and first-run flags (<c>system_settings</c>) this database
/// lacks (by name, username, zone id, stream, key), then its recordings whose files exist, each through
/// <see cref="RecordingFiles"/> (file before row) with its tags, then its detections (linked to the imported
/// recordings) and its events log. Idempotent: a second run adds nothing. Sessions are not brought over (see
/// <see cref="ImportReport"/>). The upstream file is only read (<see cref="UpstreamImportStore.SnapshotAsync"/>).
/// </summary>
public sealed class UpstreamImporter(UpstreamImportStore store, RecordingFiles files, RecordingStore recordings,
    RecordingTagStore tags)
{
    /// <summary>Recordings between two progress lines.</summary>
    public const int ProgressEvery = 500;

    public async Task<ImportReport> RunAsync(ImportRequest request, TextWriter progress, CancellationToken ct)
    {
        await using var snapshot = await ImportSnapshot.TakeAsync(request.SourcePath, ct).ConfigureAwait(false);
        var version = await UpstreamImportStore.UpstreamVersionAsync(snapshot.Path, ct).ConfigureAwait(false)
            ?? throw new ImportException($"'{request.SourcePath}' is not a database written by upstream LightNVR " +
                                         "(its schema_migrations table is missing or is this build's own)");
        var report = new ImportReport { UpstreamVersion = version, DryRun = request.DryRun };
        var apiKeys = await store.UpstreamApiKeysAsync(snapshot.Path, ct).ConfigureAwait(false); // before users are added
        foreach (var (table, key) in UpstreamImportStore.KeyedTables)
        {
            report.Tables.Add(await store.CopyAsync(snapshot.Path, table, key, request.DryRun, ct).ConfigureAwait(false));
        }

        var newKeys = apiKeys.Where(k => !k.UserHere).ToList();
        if (!request.DryRun)
        {
            foreach (var (username, apiKey, _) in newKeys)
            {
                await store.SetImportedApiKeyHashAsync(username, HashApiKey(apiKey), ct).ConfigureAwait(false);
            }
        }
        report.Tables.Add(new TableImport("api keys", apiKeys.Count, newKeys.Count));

        var (settings, unmapped) = await store.CopySettingsAsync(snapshot.Path, request.DryRun, ct).ConfigureAwait(false);
        report.Tables.Add(settings);
        report.UnmappedSettings.AddRange(unmapped);

        await ImportRecordingsAsync(snapshot.Path, request, report, progress, ct).ConfigureAwait(false);

        // Detections after recordings: each is linked to this database's row for its recording's (mapped) file.
        var detections = await UpstreamImportStore.ReadDetectionsAsync(snapshot.Path, ct).ConfigureAwait(false);
        var ids = await store.RecordingIdsByPathAsync(ct).ConfigureAwait(false);
        var added = await store.AddDetectionsAsync(detections,
            d => d.RecordingPath is { } path && ids.TryGetValue(request.MapPath(path), out var id) ? id : null,
            request.DryRun, ct).ConfigureAwait(false);
        report.Tables.Add(new TableImport("detections", detections.Count, added));
        report.Tables.Add(await store.CopyEventsAsync(snapshot.Path, request.DryRun, ct).ConfigureAwait(false));
        return report;
    }

    /// <summary>
    /// How this build stores an API key: SHA-256 of its UTF-8 bytes as lowercase hex (the same as
    /// <c>Auth.SecretTokens.Hash</c>, which this namespace may not reference; UpstreamImportTests signs in with the key).
    /// </summary>
    private static string HashApiKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task ImportRecordingsAsync(string snapshot, ImportRequest request, ImportReport report, TextWriter progress,
        CancellationToken ct)
    {
        var known = await store.RecordingPathsAsync(ct).ConfigureAwait(false);
        var rows = await UpstreamImportStore.ReadRecordingsAsync(snapshot, ct).ConfigureAwait(false);
        report.RecordingsFound = rows.Count;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var path = request.MapPath(row.FilePath);
            if (known.Contains(path))
            {
                report.RecordingsAlreadyHere++;
            }
            else if (!File.Exists(path))
            {
                report.AddMissing(path);
            }
            else
            {
                if (!request.DryRun)
                {
                    await AddAsync(row, path, ct).ConfigureAwait(false);
                    known.Add(path);
                }
                report.RecordingsAdded++;
            }

            if ((i + 1) % ProgressEvery == 0)
            {
                await progress.WriteLineAsync($"  recordings: {i + 1} of {rows.Count} checked").ConfigureAwait(false);
            }
        }
    }

    private async Task AddAsync(UpstreamRecording row, string path, CancellationToken ct)
    {
        var id = await files.AddAsync(new RecordingRecord
        {
            StreamName = row.StreamName,
            FilePath = path,
            StartTime = DateTimeOffset.FromUnixTimeSeconds(row.StartTime),
            Width = row.Width,
            Height = row.Height,
            Fps = row.Fps,
            Codec = row.Codec,
            TriggerType = row.TriggerType,
            Protected = row.Protected,
            RetentionOverrideDays = row.RetentionOverrideDays,
        }, ct).ConfigureAwait(false);
        // The size on disk, not upstream's figure (it lags for a segment that was open when upstream stopped); a row
        // without an end stays open, and start-up recovery probes and closes it as it does for this build's own.
        var end = row.EndTime is { } e ? DateTimeOffset.FromUnixTimeSeconds(e) : (DateTimeOffset?)null;
        await recordings.UpdateProgressAsync(id, new FileInfo(path).Length, end, row.IsComplete && end is not null, ct)
            .ConfigureAwait(false);
        if (row.Tags.Count > 0)
        {
            await tags.SetAsync(id, row.Tags, ct).ConfigureAwait(false);
        }
    }
}
