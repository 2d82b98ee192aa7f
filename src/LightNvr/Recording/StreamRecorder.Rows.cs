using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Media;

namespace LightNvr.Recording;

/// <summary>The recorder's <c>recordings</c> rows: inserted once a segment is playable, completed or removed at its end.</summary>
public sealed partial class StreamRecorder
{
    /// <summary>
    /// Inserts the open row once the segment is <see cref="OpenSegment.IsPlayable"/> (its second frame: 40 ms in at
    /// 25 fps), so garbage that depacketizes into a lone keyframe leaves no row. When that fails the file goes: at most
    /// its first fragment is lost, and a stream's files without a row can only ever be its newest one (a crash
    /// between file and row), which is all start-up recovery looks for. The exception is a database outage with a
    /// <see cref="Pending"/> queue: the segment is kept and marked <see cref="OpenSegment.Queued"/>; its row is
    /// journaled when it ends (and written by <see cref="PendingRowReplay"/>, before start-up recovery runs).
    /// </summary>
    private async Task InsertRowAsync(OpenSegment segment)
    {
        var file = segment.File;
        try
        {
            var video = file.Muxer.Tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
            segment.RowId = await _files.AddAsync(new RecordingRecord
            {
                StreamName = _camera.Name,
                FilePath = file.Path,
                StartTime = segment.Start,
                SizeBytes = file.CommittedLength,
                Width = video?.Width ?? 0,
                Height = video?.Height ?? 0,
                Fps = _camera.Probe.Info?.Fps ?? 0,
                Codec = video is null ? "" : VideoInfoProbe.CodecName(video.Codec),
                TriggerType = _trigger,
                NodeId = NodeId,
                LeaseEpoch = LeaseEpoch,
            }).ConfigureAwait(false);
            if (_databaseAway)
            {
                _databaseAway = false;
                LogDatabaseBack(_camera.Name);
            }
        }
        catch (Exception e) when (Pending is not null && DatabaseErrors.IsUnavailable(e))
        {
            // Database outage (docs/scale.md): record on; the row is queued when the segment ends.
            segment.Queued = true;
            if (!_databaseAway)
            {
                _databaseAway = true;
                LogDatabaseAway(_camera.Name, e.Message);
            }
        }
        catch
        {
            if (ReferenceEquals(_segment, segment))
            {
                _segment = null;
                _policy.Reset();
            }

            file.Dispose();
            DeleteRowless(file);
            VideoFramesRecorded -= segment.VideoFrames;
            throw;
        }
    }

    /// <summary>Removes a closed file that never got a row (nothing playable, or its row could not be inserted).</summary>
    private void DeleteRowless(SegmentFile file)
    {
        try
        {
            RecordingFiles.DeleteUnrecorded(file.Path);
        }
        catch (IOException)
        {
            // Left behind, it is the stream's newest file without a row: start-up recovery adopts or removes it.
        }

        _open.Remove(file.Path);
    }

    private async Task CompleteRowAsync(OpenSegment segment, TimeSpan duration, long size)
    {
        if (segment.RowId is null && segment.Queued && segment.File.HasFragments)
        {
            try
            {
                if (Enqueue(null, segment, duration, size))
                {
                    return;
                }
            }
            finally
            {
                _open.Remove(segment.File.Path);
            }
            DeleteRowless(segment.File); // queue full (logged by the queue): as without one, the file goes
            VideoFramesRecorded -= segment.VideoFrames;
            return;
        }

        if (segment.RowId is null)
        {
            DeleteRowless(segment.File); // a lone frame, never playable: no row, no file
            VideoFramesRecorded -= segment.VideoFrames;
            return;
        }

        try
        {
            await WriteFinalRowAsync(segment, duration, size).ConfigureAwait(false);
        }
        finally
        {
            _open.Remove(segment.File.Path);
        }
    }

    private async Task WriteFinalRowAsync(OpenSegment segment, TimeSpan duration, long size)
    {
        if (!segment.File.HasFragments)
        {
            // No media reached the disk (e.g. it filled up at the first fragment): as start-up recovery does, the
            // row is marked, the file unlinked, the row forgotten (RecordingFiles: mark before unlink).
            await _files.DiscardAsync(segment.RowId!.Value, segment.File.Path).ConfigureAwait(false);
            return;
        }

        var video = segment.File.Muxer.Tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
        try
        {
            await _store.CompleteAsync(segment.RowId!.Value, segment.Start + duration, size, video?.Width ?? 0, video?.Height ?? 0,
                _camera.Probe.Info?.Fps ?? 0, video is null ? "" : VideoInfoProbe.CodecName(video.Codec)).ConfigureAwait(false);
        }
        catch (Exception e) when (Pending is not null && DatabaseErrors.IsUnavailable(e) && Enqueue(segment.RowId, segment, duration, size))
        {
            // The outage began while the segment was open: its completion waits in the queue (else start-up repairs it).
        }
    }

    /// <summary>Journals the segment's row (<paramref name="rowId"/> null) or its completion; false when the queue is full.</summary>
    private bool Enqueue(long? rowId, OpenSegment segment, TimeSpan duration, long size)
    {
        var video = segment.File.Muxer.Tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
        try
        {
            return Pending!.TryAdd(new PendingRow
            {
                RowId = rowId,
                Recording = new RecordingRecord
                {
                    StreamName = _camera.Name,
                    FilePath = segment.File.Path,
                    StartTime = segment.Start,
                    EndTime = segment.Start + duration,
                    SizeBytes = size,
                    Width = video?.Width ?? 0,
                    Height = video?.Height ?? 0,
                    Fps = _camera.Probe.Info?.Fps ?? 0,
                    Codec = video is null ? "" : VideoInfoProbe.CodecName(video.Codec),
                    TriggerType = _trigger,
                    NodeId = NodeId,
                    LeaseEpoch = LeaseEpoch,
                    IsComplete = true,
                },
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogQueueFailed(_camera.Name, e.Message);
            return false;
        }
    }

    /// <summary>The open row's size refresh: skipped while the database is away (the row is completed or queued at the end).</summary>
    private async Task UpdateSizeAsync(OpenSegment segment)
    {
        try
        {
            await _store.UpdateProgressAsync(segment.RowId!.Value, segment.File.CommittedLength, null, false).ConfigureAwait(false);
        }
        catch (Exception e) when (Pending is not null && DatabaseErrors.IsUnavailable(e))
        {
            if (!_databaseAway)
            {
                _databaseAway = true;
                LogDatabaseAway(_camera.Name, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recorder {Stream}: database unreachable ({Reason}); recording on, rows queued")]
    private partial void LogDatabaseAway(string stream, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorder {Stream}: database reachable again")]
    private partial void LogDatabaseBack(string stream);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recorder {Stream}: cannot write the pending-row journal: {Reason}")]
    private partial void LogQueueFailed(string stream, string reason);
}
