using LightNvr.Cameras;
using LightNvr.Data;

namespace LightNvr.Tests.Cameras;

/// <summary>Which stream changes restart a camera (dropping its viewers) and which only touch the recorder (issue 12, item 6).</summary>
public sealed class CameraChangePolicyTests
{
    private static readonly StreamConfig Running = new()
    {
        Name = "cam", Url = "rtsp://cam/main", Record = true, RecordAudio = true, SegmentDuration = 30,
    };

    public static TheoryData<string, StreamConfig, CameraChange> Cases => new()
    {
        { "segment_duration", Running with { SegmentDuration = 10 }, CameraChange.Recorder },
        { "record_audio", Running with { RecordAudio = false }, CameraChange.Recorder },
        { "record off", Running with { Record = false }, CameraChange.Recorder },
        { "all three", Running with { Record = false, RecordAudio = false, SegmentDuration = 60 }, CameraChange.Recorder },
        { "url", Running with { Url = "rtsp://cam/other" }, CameraChange.Restart },
        { "protocol", Running with { Protocol = 1 }, CameraChange.Restart },
        { "url and segment_duration", Running with { Url = "rtsp://cam/other", SegmentDuration = 10 }, CameraChange.Restart },
        { "disabled", Running with { Enabled = false }, CameraChange.Stop },
        { "disabled with recorder change", Running with { Enabled = false, Record = false }, CameraChange.Stop },
        { "record_on_schedule", Running with { RecordOnSchedule = true }, CameraChange.Recorder },
        { "recording_schedule", Running with { RecordingSchedule = new bool[StreamConfig.ScheduleHours] }, CameraChange.Recorder },
        { "same schedule, new array", Running with { RecordingSchedule = Enumerable.Repeat(true, StreamConfig.ScheduleHours).ToArray() },
            CameraChange.Keep },
        { "detection_based_recording on", Running with { DetectionBasedRecording = true }, CameraChange.Recorder },
        { "pre_detection_buffer", Running with { PreDetectionBuffer = 12 }, CameraChange.Recorder },
        { "streaming_enabled off", Running with { StreamingEnabled = false }, CameraChange.Keep },
        { "sub_stream_url", Running with { SubStreamUrl = "rtsp://cam/sub" }, CameraChange.Keep },
        { "priority", Running with { Priority = 9 }, CameraChange.Keep },
        { "privacy mode", Running with { PrivacyMode = true }, CameraChange.Keep },
        { "nothing", Running, CameraChange.Keep },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies_a_change_of_a_running_camera(string what, StreamConfig after, CameraChange expected) =>
        Assert.True(expected == CameraChangePolicy.Classify(Running, after), what);

    [Fact]
    public void A_stream_that_is_not_running_is_started_whatever_changed() =>
        Assert.Equal(CameraChange.Restart, CameraChangePolicy.Classify(null, Running with { SegmentDuration = 10 }));
}
