using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4;
using LightNvr.Recording;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// The recorder on synthetic frames (real hub, real muxer, real SQLite in a temp folder; no camera: the frames are
/// pushed into the hub, and the real-camera cases are in LightNvr.Interop.Tests/Recording).
/// </summary>
public sealed class StreamRecorderTests
{
    private static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0xC0, 0x1E, 0xD9, 0x00], Pps = [0x68, 0xCE, 0x3C, 0x80],
        Width = 640, Height = 360,
    };

    private static readonly MediaTrack Audio = new()
    {
        Id = 1, Codec = MediaCodec.Aac, ClockRate = 16000, AudioSpecificConfig = [0x14, 0x08], SampleRate = 16000, Channels = 1,
    };

    private sealed class Rig : IAsyncDisposable
    {
        public readonly TempFolder Folder = new();
        public readonly ManualTimeProvider Time = new();
        public readonly StorageOptions Storage = new();
        public RecordingStore Store = null!;
        public CameraStream Camera = null!;
        public StreamRecorder Recorder = null!;
        private int _frame;

        public static async Task<Rig> StartAsync(bool recordAudio = true, int segmentSeconds = 2)
        {
            var rig = new Rig();
            rig.Storage.Mp4Path = rig.Folder.File("mp4");
            rig.Storage.Mp4DirectoryFormat = "flat";
            var db = new Database(rig.Folder.File("db.sqlite"));
            await db.MigrateAsync(rig.Time);
            rig.Store = new RecordingStore(db, rig.Time);
            rig.Camera = new CameraStream(new StreamConfig
            {
                Name = "cam", Url = "rtsp://synthetic", SegmentDuration = segmentSeconds, RecordAudio = recordAudio,
            }, (_, ct) => Task.Delay(Timeout.Infinite, ct), rig.Time);
            rig.Camera.Hub.OnTracks([Video, Audio]);
            rig.Recorder = new StreamRecorder(rig.Camera, rig.Store, rig.Storage, rig.Time, NullLogger.Instance);
            rig.Recorder.Start();
            return rig;
        }

        /// <summary>25 fps, keyframe every 25 frames, an AAC frame (64 ms) every other video frame.</summary>
        public void Push(int frames)
        {
            for (var n = 0; n < frames; n++, _frame++)
            {
                Camera.Hub.OnFrame(new MediaFrame(Video, _frame * 3600L, 0, _frame % 25 == 0, new byte[] { 0, 0, 0, 2, 0x65, 0x88 }, _frame * 40L));
                if (_frame % 2 == 0)
                {
                    Camera.Hub.OnFrame(new MediaFrame(Audio, _frame / 2 * 1024L, 0, true, new byte[20], _frame * 40L));
                }

                Time.Advance(TimeSpan.FromMilliseconds(40));
            }
        }

        /// <summary>Pushes in one-second steps, letting the recorder catch up, so its clock reads stay near media time.</summary>
        public async Task PushPacedAsync(int frames)
        {
            for (var done = 0; done < frames; done += 25)
            {
                Push(Math.Min(25, frames - done));
                await WaitAsync(() => Task.FromResult(Recorder.QueueStats!.Queued == 0));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Recorder.StopAsync();
            await Camera.DisposeAsync();
            Folder.Dispose();
        }
    }

    private static async Task<List<RecordingRecord>> RowsAsync(Rig rig)
    {
        var rows = new List<RecordingRecord>();
        for (var id = 1; id < 100; id++)
        {
            if (await rig.Store.GetAsync(id) is { } r)
            {
                rows.Add(r);
            }
        }

        return rows;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!await condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Segments_are_cut_at_keyframes_and_rows_follow_the_crash_consistency_order()
    {
        await using var rig = await Rig.StartAsync();
        rig.Push(10);
        await WaitAsync(async () => (await RowsAsync(rig)).Count == 1);
        var open = Assert.Single(await RowsAsync(rig));
        Assert.False(open.IsComplete);
        Assert.Null(open.EndTime);
        Assert.True(File.Exists(open.FilePath)); // the file existed before its row
        Assert.Equal("scheduled", open.TriggerType);

        await rig.PushPacedAsync(150); // 6.4 s of 25 fps with a keyframe each second, 2 s segments
        await WaitAsync(async () => (await RowsAsync(rig)).Count(r => r.IsComplete) >= 3);
        await rig.Recorder.StopAsync();
        var rows = await RowsAsync(rig);
        Assert.All(rows, r => Assert.True(r.IsComplete));
        for (var i = 0; i + 1 < rows.Count; i++)
        {
            Assert.Equal(rows[i].EndTime, rows[i + 1].StartTime); // segments meet
            Assert.Equal(TimeSpan.FromSeconds(2), rows[i].EndTime - rows[i].StartTime);
            var index = Fmp4Reader.Read(rows[i].FilePath);
            Assert.Equal(50, index.Tracks[0].Samples.Count);
            Assert.Equal(2, index.Tracks.Count);
            Assert.Equal(new FileInfo(rows[i].FilePath).Length, rows[i].SizeBytes);
        }

        Assert.Equal(160, rig.Recorder.VideoFramesRecorded);
        Assert.Equal(160, rows.Sum(r => Fmp4Reader.Read(r.FilePath).Tracks[0].Samples.Count));
    }

    [Fact]
    public async Task Record_audio_off_writes_video_only()
    {
        await using var rig = await Rig.StartAsync(recordAudio: false);
        rig.Push(60);
        await rig.Recorder.StopAsync();
        var rows = await RowsAsync(rig);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Single(Fmp4Reader.Read(r.FilePath).Tracks));
    }

    [Fact]
    public async Task A_write_error_is_reported_and_recording_retries_later_without_crashing()
    {
        await using var rig = await Rig.StartAsync();
        File.WriteAllText(rig.Storage.Mp4Path, "not a folder"); // every create fails with an IOException
        rig.Push(30);
        await WaitAsync(() => Task.FromResult(rig.Camera.RecordingError is not null));
        Assert.StartsWith("recording: cannot write", rig.Camera.RecordingError);
        Assert.Empty(await RowsAsync(rig));

        File.Delete(rig.Storage.Mp4Path);
        rig.Time.Advance(StreamRecorder.RetryAfterError);
        rig.Push(30); // the next keyframe starts a segment and clears the error
        await WaitAsync(async () => (await RowsAsync(rig)).Count == 1);
        await WaitAsync(() => Task.FromResult(rig.Camera.RecordingError is null));
    }
}
