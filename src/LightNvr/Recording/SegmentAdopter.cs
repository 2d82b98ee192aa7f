using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Recording;

/// <summary>
/// Gives a segment file that has no row a complete one: the file is cut back to its last complete fragment
/// (<see cref="Fmp4Repair"/>), the start comes from its name (local time in the server's zone, as
/// <see cref="SegmentPath.FileName"/> wrote it), duration, size and video parameters from the file. Used by start-up
/// recovery and by <c>POST /api/recordings/sync</c>; the row goes in through <see cref="RecordingFiles"/>; callers decide which files are orphans and that none is open.
/// </summary>
public sealed class SegmentAdopter(RecordingStore store, RecordingFiles files, TimeProvider time)
{
    /// <summary>
    /// Adopts <paramref name="path"/> as a recording of <paramref name="stream"/> that started at
    /// <paramref name="localStart"/>. A file without a complete header or a single fragment is deleted when
    /// <paramref name="removeEmpty"/> (at start-up: a crash before its first fragment), else left and reported.
    /// Returns the status and, when not adopted, why. Database errors are thrown.
    /// </summary>
    public async Task<(AdoptionStatus Status, string? Reason)> AdoptAsync(string path, string stream, DateTime localStart,
        bool removeEmpty, CancellationToken ct)
    {
        Fmp4RepairResult result;
        VideoInfo? info;
        try
        {
            result = Fmp4Repair.Repair(path);
            if (!result.HasInitSegment || result.FragmentCount == 0)
            {
                if (removeEmpty)
                {
                    RecordingFiles.DeleteUnrecorded(path); // created, then a crash before its first fragment and its row: holds nothing
                    return (AdoptionStatus.RemovedEmpty, null);
                }

                return result.HasInitSegment ? (AdoptionStatus.Empty, "holds no media fragment")
                    : (AdoptionStatus.Unreadable, "no complete MP4 header (ftyp+moov)" +
                        (result.Problem is null ? "" : ": " + result.Problem));
            }

            info = Describe(path, result.Duration);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (AdoptionStatus.Unreadable, "cannot read: " + e.Message);
        }

        var zone = time.LocalTimeZone;
        var start = new DateTimeOffset(localStart, zone.GetUtcOffset(localStart));
        var id = await files.AddAsync(new RecordingRecord
        {
            StreamName = stream,
            FilePath = path,
            StartTime = start,
            SizeBytes = result.Length,
            TriggerType = StreamRecorder.TriggerType,
        }, ct).ConfigureAwait(false);
        await store.CompleteAsync(id, start + result.Duration, result.Length, info?.Width ?? 0, info?.Height ?? 0,
            info?.Fps ?? 0, info?.Codec ?? "", ct).ConfigureAwait(false);
        return (AdoptionStatus.Adopted, null);
    }

    /// <summary>The first video track's codec, size and frame rate (samples over duration), or null without one.</summary>
    internal static VideoInfo? Describe(string path, TimeSpan duration)
    {
        var index = Fmp4Reader.Read(path);
        var video = index.Tracks.FirstOrDefault(t => t.Track.Kind == MediaKind.Video && t.Track.Codec != MediaCodec.Unknown);
        if (video is null)
        {
            return null;
        }

        var fps = duration > TimeSpan.Zero ? (int)Math.Round(video.Samples.Count / duration.TotalSeconds) : 0;
        return new VideoInfo(VideoInfoProbe.CodecName(video.Track.Codec), video.Track.Width, video.Track.Height, fps);
    }
}
