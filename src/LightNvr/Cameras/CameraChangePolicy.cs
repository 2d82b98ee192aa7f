using LightNvr.Data;

namespace LightNvr.Cameras;

/// <summary>Decides the <see cref="CameraChange"/> for a stream row change.</summary>
public static class CameraChangePolicy
{
    /// <param name="before">The row before the change, or null when the camera is not running.</param>
    /// <param name="after">The row as it now is in the database.</param>
    public static CameraChange Classify(StreamConfig? before, StreamConfig after)
    {
        if (!after.Enabled)
        {
            return CameraChange.Stop;
        }

        var running = before;
        if (running is null || running.Name != after.Name || running.Url != after.Url || running.Protocol != after.Protocol)
        {
            return CameraChange.Restart;
        }

        return running.Record != after.Record || running.RecordAudio != after.RecordAudio
            || running.SegmentDuration != after.SegmentDuration || running.RecordOnSchedule != after.RecordOnSchedule
            || !running.RecordingSchedule.SequenceEqual(after.RecordingSchedule)
            || running.DetectionBasedRecording != after.DetectionBasedRecording
            || running.PreDetectionBuffer != after.PreDetectionBuffer
            ? CameraChange.Recorder
            : CameraChange.Keep;
    }
}
