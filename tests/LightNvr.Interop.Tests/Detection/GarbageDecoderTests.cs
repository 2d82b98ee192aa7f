using LightNvr.Testing;
using LightNvr.Data;
using LightNvr.Detection;
using LightNvr.Interop.Tests.Recording;
using LightNvr.Media;
using LightNvr.Media.Streaming;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Interop.Tests.Detection;

/// <summary>
/// A stream whose "H.264" is random bytes (a broken camera, or garbage through a proxy) reaches the detection decoder,
/// a real ffmpeg: it writes no picture, the detector takes it as hung after the stall timeout, restarts it with
/// backoff and says why, while the hub's other consumer (a recorder's subscription) keeps getting every frame.
/// </summary>
public sealed class GarbageDecoderTests
{
    [Fact]
    public async Task Decoder_fed_garbage_is_restarted_and_other_consumers_keep_their_frames()
    {
        using var dir = new TempFolder("rec");
        var database = new Database(dir.File("lightnvr.db"));
        await database.MigrateAsync(TimeProvider.System);
        using var hub = new StreamHub("junk");
        using var recorder = hub.Subscribe("recorder", acceptsBatches: true);
        var random = new Random(7);
        byte[] Junk(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        var track = new MediaTrack { Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = Junk(12), Pps = Junk(4), Width = 640, Height = 360 };
        hub.OnTracks([track]);

        var options = new FrameSourceOptions { StallTimeout = TimeSpan.FromSeconds(2) };
        var detector = new StreamDetector(new StreamConfig { Name = "junk", Url = "rtsp://unused/" }, hub, null,
            new ZoneStore(database, TimeProvider.System), new MotionSettingsStore(database), new CapturingSink(), options,
            TimeProvider.System, NullLogger.Instance);
        await detector.StartAsync(CancellationToken.None);

        using var feeding = new CancellationTokenSource();
        var sent = 0L;
        var feeder = Task.Run(async () =>
        {
            for (var i = 0; !feeding.IsCancellationRequested; i++)
            {
                // A length-prefixed "NAL unit" of random bytes: valid framing, garbage content.
                var payload = Junk(2000);
                var data = new byte[payload.Length + 4];
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(data, payload.Length);
                payload.CopyTo(data, 4);
                hub.OnFrame(new MediaFrame(track, i * 6000L, 0, i % 15 == 0, data, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                Interlocked.Increment(ref sent);
                await Task.Delay(66);
            }
        });

        await DetectionHarness.WaitAsync(() => detector.Restarts >= 2, TimeSpan.FromSeconds(25),
            () => $"restarts {detector.Restarts}, state {detector.State}, error {detector.LastError}, in {detector.FramesIn}");
        Assert.Equal(0, detector.FramesAnalyzed);
        Assert.NotNull(detector.LastError);
        Assert.Matches("hung|ffmpeg exit|input closed", detector.LastError);

        await feeding.CancelAsync();
        await feeder;
        var got = 0L;
        while (recorder.TryRead(out _))
        {
            got++;
        }
        Assert.Equal(Interlocked.Read(ref sent), got); // nothing the detector did cost the recorder a frame
        await detector.DisposeAsync();
        Assert.Equal(DetectorState.Stopped, detector.State);
    }
}
