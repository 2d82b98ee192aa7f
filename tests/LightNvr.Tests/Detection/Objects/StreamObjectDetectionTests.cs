using System.Buffers;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Detection.Objects;
using LightNvr.Events;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// A stream's object detection from frame to observation: the real ONNX detector (the flat test graph: a car at
/// x 0.25–0.75, y 0.25–0.5 with 0.95, a person at x 0–0.25, y 0.5–1 with 0.6) through the shared queue, the motion
/// gate, the threshold, the label filter and the zones' class filters.
/// </summary>
public sealed class StreamObjectDetectionTests(OnnxTestGraphs graphs) : IClassFixture<OnnxTestGraphs>
{
    [Fact]
    public void A_detection_becomes_an_object_observation_with_label_and_box()
    {
        var (observed, _) = Run(Stream(), motion: true);

        var car = Assert.Single(observed, o => o.Label == "car");
        Assert.Equal(ObservationSource.Object, car.Source);
        Assert.Equal("cam", car.Stream);
        Assert.Equal(0.95f, car.Confidence, 3);
        Assert.Equal(0.25f, car.Box!.Value.X, 3);
        Assert.Equal(0.25f, car.Box.Value.Y, 3);
        Assert.Equal(0.5f, car.Box.Value.Width, 3);
        Assert.Equal(0.25f, car.Box.Value.Height, 3);
        Assert.Null(car.Zone);
        Assert.Single(observed, o => o.Label == "person");
        Assert.Equal("detection", EventSources.TriggerType(car.Source)); // the recording's trigger_type
    }

    [Fact]
    public void Motion_gating_skips_frames_without_motion_and_can_be_switched_off()
    {
        var (gated, objects) = Run(Stream(), motion: false);
        Assert.Empty(gated);
        Assert.Equal(1, objects.FramesGated);
        Assert.Equal(0, objects.Inferences);

        var (ungated, _) = Run(Stream() with { DetectionMotionGate = false }, motion: false);
        Assert.Equal(2, ungated.Count);
    }

    [Fact]
    public void Threshold_and_label_filter_apply()
    {
        Assert.Equal(["car"], Labels(Run(Stream() with { DetectionThreshold = 0.7 }, true).Observed));
        Assert.Equal(["person"], Labels(Run(Stream() with { DetectionObjectFilter = "include", DetectionObjectFilterList = "person, dog" }, true).Observed));
        Assert.Equal(["car"], Labels(Run(Stream() with { DetectionObjectFilter = "exclude", DetectionObjectFilterList = "Person" }, true).Observed));
        Assert.Equal(["car", "person"], Labels(Run(Stream() with { DetectionObjectFilter = "none", DetectionObjectFilterList = "person" }, true).Observed));
    }

    [Fact]
    public void Zones_take_objects_standing_in_them_with_their_class_filter_and_min_confidence()
    {
        // Left half: the person stands at (0.125, 1.0), the car at (0.5, 0.5) is on the edge of neither.
        DetectionZone left = new()
        {
            Id = "left", StreamName = "cam", Name = "left", Enabled = true,
            Polygon = [new(0, 0), new(0.4, 0), new(0.4, 1), new(0, 1)],
        };
        DetectionZone right = left with { Id = "right", Polygon = [new(0.4, 0), new(1, 0), new(1, 1), new(0.4, 1)], FilterClasses = "car" };

        var (observed, _) = Run(Stream(), true, left, right);
        Assert.Equal("left", Assert.Single(observed, o => o.Label == "person").Zone);
        Assert.Equal("right", Assert.Single(observed, o => o.Label == "car").Zone);

        var (onlyCars, _) = Run(Stream(), true, left with { FilterClasses = "car" });
        Assert.Empty(onlyCars); // the person's zone wants cars, and the car stands outside it

        var (confident, _) = Run(Stream(), true, left with { MinConfidence = 0.7 }, right);
        Assert.Equal(["car"], Labels(confident));
    }

    [Fact]
    public void A_model_that_fails_to_load_is_the_streams_error_not_a_crash()
    {
        var sink = new ListSink();
        var cache = new OnnxModelCache(TimeProvider.System);
        using var queue = new ObjectDetectionQueue();
        var objects = new StreamObjectDetection(Stream(), new OnnxObjectDetector(cache, cache.Acquire(graphs["broken"], 1)), queue, sink);

        Offer(objects, motion: true);
        Wait(() => objects.LastError is not null);

        Assert.Contains("broken.onnx cannot be loaded", objects.LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Items);
        Assert.Equal(0, objects.Inferences);
    }

    [Fact]
    public void Frames_less_than_half_an_interval_after_the_last_one_are_skipped()
    {
        using var release = new ManualResetEventSlim(true);
        var detector = new BlockingDetector(release);
        using var queue = new ObjectDetectionQueue();
        var objects = new StreamObjectDetection(Stream(), detector, queue, new ListSink());

        Offer(objects, true, 10);
        Offer(objects, true, 10.004); // a decoder catching up after a stall hands frames over in a burst
        Offer(objects, true, 10 + (objects.IntervalSeconds * 0.4));
        Offer(objects, true, 10 + objects.IntervalSeconds);

        Assert.Equal(4, objects.FramesOffered);
        Assert.Equal(2, objects.FramesEarly);
        Wait(() => detector.Started == 2);
    }

    [Fact]
    public void A_slow_detector_drops_the_oldest_frames_and_counts_them()
    {
        // Stand-in detector (no model needed for the queue's bound): each run blocks until released.
        using var release = new ManualResetEventSlim();
        var slow = new BlockingDetector(release);
        using var queue = new ObjectDetectionQueue();
        var objects = new StreamObjectDetection(Stream(), slow, queue, new ListSink());

        Offer(objects, true); // taken by the worker, which then blocks
        Wait(() => slow.Started == 1);
        for (var i = 0; i < ObjectDetectionQueue.MaxBacklog + 5; i++)
        {
            Offer(objects, true, objects.IntervalSeconds * (i + 1)); // one frame per interval, as the decoder sends them
        }

        Assert.Equal(5, objects.FramesDropped);
        Assert.Equal(5, queue.Dropped);
        Assert.Equal(ObjectDetectionQueue.MaxBacklog, queue.Backlog);
        release.Set();
        Wait(() => queue.Processed == 1 + ObjectDetectionQueue.MaxBacklog);
    }

    [Fact]
    public void A_hung_detection_service_does_not_delay_the_in_process_detector()
    {
        // Stand-in detectors: one that waits like an HTTP service that never answers, one that answers at once.
        using var hung = new ManualResetEventSlim();
        using var open = new ManualResetEventSlim(true);
        var service = new BlockingDetector(hung, network: true);
        var local = new BlockingDetector(open);
        using var queues = new ObjectDetectionQueues();
        Assert.Same(queues.Network, queues.For(service));
        Assert.Same(queues.InProcess, queues.For(local));
        var viaApi = new StreamObjectDetection(Stream() with { Name = "api" }, service, queues.For(service), new ListSink());
        var viaOnnx = new StreamObjectDetection(Stream(), local, queues.For(local), new ListSink());

        Offer(viaApi, true);
        Wait(() => service.Started == 1); // the network lane's worker now hangs
        for (var i = 0; i < 3; i++)
        {
            Offer(viaOnnx, true, viaOnnx.IntervalSeconds * i);
        }

        Wait(() => local.Started == 3);
        Assert.Equal(3, queues.InProcess.Processed);
        Assert.Equal(0, queues.Network.Processed);
        hung.Set();
        Wait(() => queues.Network.Processed == 1);
    }

    [Fact]
    public void Provider_resolves_model_names_in_the_models_folder()
    {
        Assert.Equal("/m/centernet.onnx", OnnxDetectorProvider.Resolve("onnx", "/m"));
        Assert.Equal("/m/yolo11n.onnx", OnnxDetectorProvider.Resolve("yolo11n", "/m"));
        Assert.Equal("/m/yolo11n.onnx", OnnxDetectorProvider.Resolve("yolo11n.onnx", "/m"));
        Assert.Equal("/abs/x.onnx", OnnxDetectorProvider.Resolve("/abs/x.onnx", "/m"));
        Assert.Null(OnnxDetectorProvider.Resolve("motion", "/m"));
        Assert.Null(OnnxDetectorProvider.Resolve("api-detection", "/m"));
        Assert.Null(OnnxDetectorProvider.Resolve("/models/x.tflite", "/m"));

        var config = new LightNvrConfig { Models = new ModelsOptions { Path = graphs.Folder } };
        var provider = new OnnxDetectorProvider(new ConfigSnapshots(config), new OnnxModelCache(TimeProvider.System));
        Assert.Null(provider.Create(Stream() with { DetectionModel = "api-detection" }));
        Assert.Equal("flat.onnx", provider.Create(Stream() with { DetectionModel = "flat" })!.Name);
    }

    private (List<Observation> Observed, StreamObjectDetection Objects) Run(StreamConfig stream, bool motion, params DetectionZone[] zones)
    {
        var sink = new ListSink();
        var cache = new OnnxModelCache(TimeProvider.System);
        using var queue = new ObjectDetectionQueue();
        var objects = new StreamObjectDetection(stream, new OnnxObjectDetector(cache, cache.Acquire(graphs["flat"], 1)), queue, sink);
        objects.SetZones(zones);
        Offer(objects, motion);
        Wait(() => objects.Inferences + objects.FramesGated == 1);
        return (sink.Items.ToList(), objects);
    }

    private static void Offer(StreamObjectDetection objects, bool motion, double seconds = 0)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 36 * 3);
        objects.Offer(new RgbFrame(64, 36, buffer.AsMemory(0, 64 * 36 * 3), DateTimeOffset.UnixEpoch.AddSeconds(seconds)), buffer, motion);
    }

    private static string[] Labels(IEnumerable<Observation> observed) => observed.Select(o => o.Label).Order().ToArray();

    private static StreamConfig Stream() => new() { Name = "cam", Url = "rtsp://x/", DetectionModel = "flat", DetectionThreshold = 0.5 };

    private static void Wait(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            Thread.Sleep(5);
        }
    }

    private sealed class ListSink : IObservationSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<Observation> Items { get; } = new();

        public void Observe(Observation observation) => Items.Enqueue(observation);
    }

    private sealed class BlockingDetector(ManualResetEventSlim release, bool network = false) : IObjectDetector
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public string Name => "blocking stand-in";

        public bool WaitsOnNetwork => network;

        public ValueTask<IReadOnlyList<DetectedObject>> DetectAsync(RgbFrame frame, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            release.Wait(cancellationToken);
            return ValueTask.FromResult<IReadOnlyList<DetectedObject>>([]);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
