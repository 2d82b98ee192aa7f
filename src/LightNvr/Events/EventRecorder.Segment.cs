using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Recording;

namespace LightNvr.Events;

/// <summary>
/// The event recorder's file and row, in the continuous recorder's crash order (D4): the file and its init segment are
/// created and fsync'd, then the open row is inserted; fragments go to disk about every second; at the end the last
/// fragment is written and fsync'd, then the row completed. A kill -9 leaves an open row over a file that ends on a
/// fragment boundary, which start-up recovery (<see cref="RecordingRecovery"/>) completes like any other segment.
/// </summary>
public sealed partial class EventRecorder
{
    private async Task OpenAsync(IReadOnlyList<MediaFrame> frames, string trigger)
    {
        var first = frames.FirstOrDefault(IsVideoKey) ?? frames[0];
        frames = [.. frames.SkipWhile(f => !ReferenceEquals(f, first))];
        var tracks = frames.Select(f => f.Track).DistinctBy(t => t.Id).OrderBy(t => t.Id).ToArray();
        var startDts = frames.GroupBy(f => f.Track.Id).ToDictionary(g => g.Key, g => g.First().Dts);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(first.WallClockUnixMs);
        var local = TimeZoneInfo.ConvertTime(start, _time.LocalTimeZone).DateTime;
        var directory = SegmentPath.Directory(_storage.Mp4Path, _camera.Name, _storage.Mp4DirectoryFormat, local);
        SegmentFile file;
        using (_open.BeginCreate())
        {
            file = SegmentFile.Create(directory, local, tracks, startDts);
            _open.Add(file.Path);
        }

        var segment = new OpenSegment(file, start, first);
        _segment = segment;
        foreach (var frame in frames)
        {
            if (file.Add(frame) == Fmp4AddResult.Added)
            {
                segment.Observe(frame);
            }
        }

        var video = file.Muxer.Tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
        segment.RowId = await _files.AddAsync(new RecordingRecord
        {
            StreamName = _camera.Name,
            FilePath = file.Path,
            StartTime = start,
            SizeBytes = file.CommittedLength,
            Width = video?.Width ?? 0,
            Height = video?.Height ?? 0,
            Fps = _camera.Probe.Info?.Fps ?? 0,
            Codec = video is null ? "" : VideoInfoProbe.CodecName(video.Codec),
            TriggerType = trigger,
        }).ConfigureAwait(false);
        LogOpened(_camera.Name, file.Path, trigger, (frames[^1].WallClockUnixMs - first.WallClockUnixMs) / 1000.0);
    }

    private async Task AppendAsync(MediaFrame frame)
    {
        var segment = _segment!;
        if (segment.File.Add(frame) == Fmp4AddResult.TrackChanged)
        {
            await CloseAsync().ConfigureAwait(false);
            Buffer.Add(frame);
            return;
        }
        segment.Observe(frame);
        var now = _time.GetUtcNow();
        if (segment.RowId is { } id && now - segment.LastSizeUpdate >= StreamRecorder.SizeUpdateInterval)
        {
            segment.LastSizeUpdate = now;
            await _store.UpdateProgressAsync(id, segment.File.CommittedLength, null, false).ConfigureAwait(false);
        }
    }

    /// <summary>Finishes the open segment: last fragment, fsync, then the row (or no row and no file when nothing was written).</summary>
    private async Task CloseAsync()
    {
        if (_segment is not { } segment)
        {
            return;
        }
        _segment = null;
        try
        {
            try
            {
                segment.File.Finish(final: true);
            }
            catch (IOException)
            {
                segment.File.TruncateToCommitted();
                throw;
            }
            finally
            {
                segment.File.Dispose();
            }

            if (segment.RowId is not { } id)
            {
                RecordingFiles.DeleteUnrecorded(segment.File.Path);
                return;
            }
            if (!segment.File.HasFragments)
            {
                await _files.DiscardAsync(id, segment.File.Path).ConfigureAwait(false);
                return;
            }
            var video = segment.File.Muxer.Tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
            await _store.CompleteAsync(id, segment.Start + segment.Duration, segment.File.CommittedLength, video?.Width ?? 0,
                video?.Height ?? 0, _camera.Probe.Info?.Fps ?? 0, video is null ? "" : VideoInfoProbe.CodecName(video.Codec))
                .ConfigureAwait(false);
            SegmentsClosed++;
            LogClosed(_camera.Name, segment.File.Path, segment.Duration.TotalSeconds);
        }
        finally
        {
            _open.Remove(segment.File.Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event recording {Stream}: {Path} opened ({Trigger}), pre-buffer {Seconds:0.0} s")]
    private partial void LogOpened(string stream, string path, string trigger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event recording {Stream}: {Path} closed, {Seconds:0.0} s")]
    private partial void LogClosed(string stream, string path, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event recording {Stream}: {Reason}")]
    private partial void LogFailed(string stream, string reason);
}
