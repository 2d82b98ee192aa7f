using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Recording;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging;

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
        public readonly TestClock Time = new();
        public StorageOptions Storage = new();
        public RecordingStore Store = null!;
        public CameraStream Camera = null!;
        public StreamRecorder Recorder = null!;
        private int _frame;

        /// <summary>What a keyframe carries (length-prefixed NAL units): an IDR slice, unless a test puts parameter sets first.</summary>
        public byte[] KeyFrameData = [0, 0, 0, 2, 0x65, 0x88];

        /// <summary>One video keyframe alone, then nothing: what random RTP now and then depacketizes into.</summary>
        public void PushLoneKeyFrame(MediaTrack track)
        {
            Camera.Hub.OnFrame(new MediaFrame(track, _frame++ * 3600L, 0, true, KeyFrameData, Time.GetUtcNow().ToUnixTimeMilliseconds()));
        }

        public MediaTrack VideoTrack = Video;
        public readonly ListLogger Log = new();

        public static async Task<Rig> StartAsync(bool recordAudio = true, int segmentSeconds = 2, MediaTrack? video = null)
        {
            var rig = new Rig();
            rig.VideoTrack = video ?? Video;
            rig.Storage = new StorageOptions { Mp4Path = rig.Folder.File("mp4"), Mp4DirectoryFormat = "flat" };
            var db = new Database(rig.Folder.File("db.sqlite"));
            await db.MigrateAsync(rig.Time);
            rig.Store = new RecordingStore(db, rig.Time);
            rig.Camera = new CameraStream(new StreamConfig
            {
                Name = "cam", Url = "rtsp://synthetic", SegmentDuration = segmentSeconds, RecordAudio = recordAudio,
            }, (_, ct) => Task.Delay(Timeout.Infinite, ct), rig.Time);
            rig.Camera.Hub.OnTracks([rig.VideoTrack, Audio]);
            rig.Recorder = new StreamRecorder(rig.Camera, rig.Store, TestRecordingFiles.Create(db, rig.Storage, rig.Time), rig.Storage, rig.Time, rig.Log);
            rig.Recorder.Start();
            return rig;
        }

        /// <summary>25 fps, keyframe every 25 frames, an AAC frame (64 ms) every other video frame.</summary>
        public void Push(int frames)
        {
            for (var n = 0; n < frames; n++, _frame++)
            {
                var key = _frame % 25 == 0;
                Camera.Hub.OnFrame(new MediaFrame(VideoTrack, _frame * 3600L, 0, key, key ? KeyFrameData : [0, 0, 0, 2, 0x41, 0x9A], _frame * 40L));
                if (_frame % 2 == 0)
                {
                    Camera.Hub.OnFrame(new MediaFrame(Audio, _frame / 2 * 1024L, 0, true, new byte[20], _frame * 40L));
                }

                Time.Advance(TimeSpan.FromMilliseconds(40));
            }
        }

        /// <summary>
        /// Pushes in one-second steps, letting the recorder catch up, so its clock reads stay near media time. Caught up
        /// means waiting for frames, not an empty queue: with a segment open the recorder is woken only by a keyframe
        /// or a frame whose fragment is due, so when it drains the queue before a batch is all pushed (this thread
        /// descheduled on a loaded machine) the rest of the batch stays queued until the next batch's keyframe, and a
        /// wait for an empty queue would never end.
        /// </summary>
        public async Task PushPacedAsync(int frames)
        {
            for (var done = 0; done < frames; done += 25)
            {
                Push(Math.Min(25, frames - done));
                await WaitAsync(() => Task.FromResult(Recorder.IsWaitingForFrames));
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

    /// <summary>
    /// segment_duration changed while recording (issue 12, item 6): the open segment ends at the next keyframe (2 s
    /// here, not the old 10 s), the following ones have the new length, and all of them meet exactly.
    /// </summary>
    [Fact]
    public async Task A_new_segment_duration_cuts_at_the_next_keyframe_and_applies_from_there()
    {
        await using var rig = await Rig.StartAsync(segmentSeconds: 10);
        await rig.PushPacedAsync(35); // 1.4 s into the first segment
        rig.Recorder.Reconfigure(rig.Camera.Config with { SegmentDuration = 3 });
        await rig.PushPacedAsync(200); // to 9.4 s: cuts at 2, 5 and 8 s
        await rig.Recorder.StopAsync();

        var rows = (await RowsAsync(rig)).OrderBy(r => r.Id).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsComplete));
        Assert.Equal([2.0, 3.0, 3.0], rows.Take(3).Select(r => (r.EndTime - r.StartTime)!.Value.TotalSeconds));
        for (var i = 0; i + 1 < rows.Count; i++)
        {
            Assert.Equal(rows[i].EndTime, rows[i + 1].StartTime);
        }

        Assert.Equal(235, rows.Sum(r => Fmp4Reader.Read(r.FilePath).Tracks[0].Samples.Count)); // no frame lost or doubled
    }

    /// <summary>record_audio turned off while recording: the next keyframe starts a video-only segment, no gap.</summary>
    [Fact]
    public async Task Record_audio_turned_off_ends_the_segment_at_the_next_keyframe_and_continues_video_only()
    {
        await using var rig = await Rig.StartAsync(recordAudio: true, segmentSeconds: 10);
        await rig.PushPacedAsync(35);
        rig.Recorder.Reconfigure(rig.Camera.Config with { RecordAudio = false });
        await rig.PushPacedAsync(100);
        await rig.Recorder.StopAsync();

        var rows = (await RowsAsync(rig)).OrderBy(r => r.Id).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(2, Fmp4Reader.Read(rows[0].FilePath).Tracks.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), rows[0].EndTime - rows[0].StartTime);
        Assert.Single(Fmp4Reader.Read(rows[1].FilePath).Tracks);
        Assert.Equal(rows[0].EndTime, rows[1].StartTime);
        Assert.Equal(135, rows.Sum(r => Fmp4Reader.Read(r.FilePath).Tracks[0].Samples.Count));
    }

    /// <summary>Settings equal to the running ones change nothing: the segment runs to its full length.</summary>
    [Fact]
    public async Task Unchanged_settings_do_not_cut()
    {
        await using var rig = await Rig.StartAsync(segmentSeconds: 2);
        await rig.PushPacedAsync(35);
        rig.Recorder.Reconfigure(rig.Camera.Config);
        await rig.PushPacedAsync(100);
        await rig.Recorder.StopAsync();
        var rows = (await RowsAsync(rig)).OrderBy(r => r.Id).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal([2.0, 2.0], rows.Take(2).Select(r => (r.EndTime - r.StartTime)!.Value.TotalSeconds));
    }

    /// <summary>
    /// Wall clock stepped forward an hour, then back ten minutes, while recording (the monotonic clock and the media
    /// keep going): every segment keeps its media length, segments on one side of a step meet exactly, and at a step
    /// the new segment starts at the clock's time (docs/recording.md "Times"), so no two rows overlap.
    /// </summary>
    [Fact]
    public async Task Wall_clock_jumps_move_segment_starts_never_lengths()
    {
        await using var rig = await Rig.StartAsync();
        await rig.PushPacedAsync(75);
        rig.Time.StepWallClock(TimeSpan.FromHours(1));
        await rig.PushPacedAsync(100);
        rig.Time.StepWallClock(TimeSpan.FromMinutes(-10));
        await rig.PushPacedAsync(100);
        await rig.Recorder.StopAsync();

        var rows = (await RowsAsync(rig)).OrderBy(r => r.Id).ToList();
        Assert.True(rows.Count >= 5, $"{rows.Count} segments");
        Assert.All(rows, r => Assert.True(r.IsComplete));
        var gaps = new List<TimeSpan>();
        for (var i = 0; i + 1 < rows.Count; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(2), rows[i].EndTime - rows[i].StartTime);
            var gap = rows[i + 1].StartTime - rows[i].EndTime!.Value;
            if (gap != TimeSpan.Zero)
            {
                gaps.Add(gap);
            }
        }

        // Exactly two discontinuities, each the size of its step (within a segment's worth of scheduling).
        Assert.Equal(2, gaps.Count);
        Assert.InRange(gaps[0], TimeSpan.FromHours(1) - TimeSpan.FromSeconds(2), TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2));
        Assert.InRange(gaps[1], TimeSpan.FromMinutes(-10) - TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(-10) + TimeSpan.FromSeconds(2));
        var byStart = rows.OrderBy(r => r.StartTime).ToList();
        for (var i = 0; i + 1 < byStart.Count; i++)
        {
            Assert.True(byStart[i].EndTime <= byStart[i + 1].StartTime, $"rows {byStart[i].Id} and {byStart[i + 1].Id} overlap");
        }

        Assert.Equal(rows.Count, rows.Select(r => r.FilePath).Distinct().Count());
    }

    /// <summary>
    /// Issue 11 (10): a camera sending random RTP made a row every few seconds, each a file holding one garbage
    /// "keyframe" (zero length). A segment gets its row only at its second frame: lone keyframes, each followed by
    /// silence (the idle close) or by other parameters, leave neither row nor file; real video still gets rows.
    /// </summary>
    [Fact]
    public async Task Lone_keyframes_from_garbage_leave_no_rows_or_files()
    {
        await using var rig = await Rig.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            rig.PushLoneKeyFrame(i == 1 ? Video with { Width = 16, Height = 16 } : Video); // a random SPS that parsed
            var closed = rig.Recorder.SegmentsClosed;
            await WaitAsync(() => Task.FromResult(rig.Time.ActiveTimers > 0)); // the recorder armed its idle timer
            rig.Time.Advance(StreamRecorder.MaxFrameGap + TimeSpan.FromSeconds(2)); // the camera goes quiet: idle close
            await WaitAsync(() => Task.FromResult(rig.Recorder.SegmentsClosed > closed));
        }

        Assert.Empty(await RowsAsync(rig));
        Assert.Empty(Directory.Exists(rig.Storage.Mp4Path)
            ? Directory.GetFiles(rig.Storage.Mp4Path, "*.mp4", SearchOption.AllDirectories) : []);

        await rig.PushPacedAsync(75); // a real camera again
        await rig.Recorder.StopAsync();
        var rows = await RowsAsync(rig);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.IsComplete && Fmp4Reader.Read(r.FilePath).Tracks[0].Samples.Count >= 3, r.FilePath));
    }

    /// <summary>
    /// Issue 11 (9): H.264 whose in-band SPS does not parse (the depacketizer keeps no SPS, so the track is never
    /// ready): within seconds of the first keyframe the stream shows Error with the reason, and one warning line is
    /// logged (not one per frame); a good SPS later clears it.
    /// </summary>
    [Fact]
    public async Task Frames_with_an_unparsable_sps_are_reported_once_within_seconds()
    {
        byte[] badSps = [0x67, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.False(LightNvr.Media.Codecs.H264.H264SequenceParameterSet.TryParse(badSps, out _));
        var unready = Video with { Sps = null, Width = 0, Height = 0 };
        await using var rig = await Rig.StartAsync(video: unready);
        rig.KeyFrameData = [0, 0, 0, 5, .. badSps, 0, 0, 0, 4, 0x68, 0xCE, 0x3C, 0x80, 0, 0, 0, 2, 0x65, 0x88];
        await rig.PushPacedAsync(50);
        Assert.Null(rig.Camera.RecordingError); // 2 s: not yet
        await rig.PushPacedAsync(75);
        var error = rig.Camera.RecordingError;
        Assert.NotNull(error);
        Assert.StartsWith("recording: video SPS could not be parsed: H264 SPS of 5 bytes (67FFFFFFFF)", error);

        await rig.PushPacedAsync(100);
        var warnings = rig.Log.Lines.Where(l => l.Level == LogLevel.Warning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("frames arrive but nothing is written: recording: video SPS could not be parsed", warning.Message);
        Assert.Empty(await RowsAsync(rig));

        rig.VideoTrack = Video; // the camera sends a good SPS: recording starts and the error goes
        rig.KeyFrameData = [0, 0, 0, 2, 0x65, 0x88];
        await rig.PushPacedAsync(50);
        await WaitAsync(async () => (await RowsAsync(rig)).Count == 1);
        Assert.Null(rig.Camera.RecordingError);
    }
}
