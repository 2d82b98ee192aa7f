using LightNvr.Detection.Objects;
using LightNvr.Events;
using LightNvr.Testing;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// The output decoders on real ONNX graphs run by ONNX Runtime (tests/onnx/make_graphs.py): YOLO v8 (attributes first,
/// no objectness), YOLO v5 (anchors first, objectness), TF SSD (uint8 NHWC input, four outputs) and the flat [1,N,6]
/// layout, each with the pre-processing the model's shape implies, and the boxes mapped back to the frame.
/// </summary>
public sealed class OnnxDecoderTests(OnnxTestGraphs graphs) : IClassFixture<OnnxTestGraphs>
{
    private const float Tolerance = 0.002f;

    [Fact]
    public void Yolo_v8_layout_is_decoded_with_nms_and_letterbox_undone()
    {
        using var model = new OnnxModel(graphs["yolo_v8"], 1, TimeProvider.System);
        // A 128x64 frame in a 64x64 input: scale 0.5, 16 px of padding above and below.
        var found = model.Detect(Frame(128, 64));

        var info = model.Info!;
        Assert.Equal(ModelOutputFormat.Yolo, info.Format);
        Assert.Equal(ResizeMode.Letterbox, info.Resize);
        Assert.Equal(InputLayout.Nchw, info.Layout);
        Assert.Equal((64, 64), (info.InputWidth, info.InputHeight));
        Assert.Equal(2, found.Count); // the shifted duplicate went to NMS, the 0.02 dog under the floor
        var person = Assert.Single(found, o => o.Label == "person");
        Assert.Equal(0.9f, person.Confidence, 3);
        // input box x 15..25, y 20..40 -> frame x 30..50 of 128, y (20-16)/0.5=8 .. 48 of 64
        AssertBox(new NormalizedBox(30f / 128, 8f / 64, 20f / 128, 40f / 64), person.Box);
        var car = Assert.Single(found, o => o.Label == "car");
        Assert.Equal(0.7f, car.Confidence, 3);
        // input x 40..56, y 44..52 -> frame x 80..112, y 56..72, clipped at the bottom edge (64)
        AssertBox(new NormalizedBox(80f / 128, 56f / 64, 32f / 128, 8f / 64), car.Box);
    }

    [Fact]
    public void Yolo_v5_layout_multiplies_objectness_and_class_score()
    {
        using var model = new OnnxModel(graphs["yolo_v5"], 1, TimeProvider.System);
        var found = model.Detect(Frame(64, 64));

        Assert.Equal(ModelOutputFormat.YoloObjectness, model.Info!.Format);
        Assert.Equal(2, found.Count);
        var person = Assert.Single(found, o => o.Label == "person");
        Assert.Equal(0.9f, person.Confidence, 3);
        AssertBox(new NormalizedBox(15f / 64, 20f / 64, 10f / 64, 20f / 64), person.Box);
        var bicycle = Assert.Single(found, o => o.Label == "bicycle");
        Assert.Equal(0.4f, bicycle.Confidence, 3);
        AssertBox(new NormalizedBox(30f / 64, 30f / 64, 20f / 64, 20f / 64), bicycle.Box);
    }

    [Fact]
    public void Ssd_outputs_are_read_by_name_with_tf_class_ids_and_num_detections()
    {
        using var model = new OnnxModel(graphs["ssd"], 1, TimeProvider.System);
        var found = model.Detect(Frame(160, 90)); // stretched into 80x60 whatever the aspect

        var info = model.Info!;
        Assert.Equal(ModelOutputFormat.Ssd, info.Format);
        Assert.Equal(ResizeMode.Stretch, info.Resize);
        Assert.Equal(InputLayout.Nhwc, info.Layout);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8, info.InputType);
        Assert.Equal(2, found.Count); // the car is past num_detections
        var person = Assert.Single(found, o => o.Label == "person");
        Assert.Equal(0.85f, person.Confidence, 3);
        AssertBox(new NormalizedBox(0.2f, 0.1f, 0.2f, 0.4f), person.Box);
        var dog = Assert.Single(found, o => o.Label == "dog"); // TF id 18
        AssertBox(new NormalizedBox(0.5f, 0.6f, 0.4f, 0.3f), dog.Box);
    }

    [Fact]
    public void Flat_layout_with_normalised_corners()
    {
        using var model = new OnnxModel(graphs["flat"], 1, TimeProvider.System);
        var found = model.Detect(Frame(64, 64));

        Assert.Equal(ModelOutputFormat.Flat, model.Info!.Format);
        Assert.Equal(1f, model.Info.InputScale); // NHWC float: 0-255 as TF exports take
        var car = Assert.Single(found, o => o.Label == "car");
        Assert.Equal(0.95f, car.Confidence, 3);
        AssertBox(new NormalizedBox(0.25f, 0.25f, 0.5f, 0.25f), car.Box);
        Assert.Single(found, o => o.Label == "person");
    }

    [Fact]
    public void Labels_file_beside_the_model_names_the_classes()
    {
        using var folder = new TempFolder("onnx-labels");
        var path = Path.Combine(folder.Path, "mine.onnx");
        File.Copy(graphs["yolo_v8"], path);
        folder.File("mine.labels", string.Join('\n', Enumerable.Range(0, 80).Select(i => "thing" + i)));
        using var model = new OnnxModel(path, 1, TimeProvider.System);

        var labels = model.Detect(Frame(64, 64)).Select(o => o.Label).Order().ToArray();

        Assert.Equal(["thing0", "thing2"], labels);
    }

    [Fact]
    public void A_conf_file_overrides_the_guessed_pre_processing()
    {
        using var folder = new TempFolder("onnx-conf");
        var path = Path.Combine(folder.Path, "mine.onnx");
        File.Copy(graphs["yolo_v8"], path);
        folder.File("mine.conf", "resize = stretch\npixel_range = 255\n");
        using var model = new OnnxModel(path, 1, TimeProvider.System);

        var info = model.Describe();

        Assert.Equal(ResizeMode.Stretch, info.Resize);
        Assert.Equal(1f, info.InputScale);
    }

    [Fact]
    public void A_model_that_cannot_load_is_a_clear_error_each_time()
    {
        using var broken = new OnnxModel(graphs["broken"], 1, TimeProvider.System);
        var e = Assert.Throws<ObjectDetectorException>(() => broken.Detect(Frame(64, 64)));
        Assert.Contains("broken.onnx cannot be loaded", e.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDetectorException>(() => broken.Detect(Frame(64, 64)));

        using var missing = new OnnxModel(Path.Combine(graphs.Folder, "nope.onnx"), 1, TimeProvider.System);
        var m = Assert.Throws<ObjectDetectorException>(() => missing.Detect(Frame(64, 64)));
        Assert.Contains("not found", m.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_session_is_created_on_first_use_and_shared_by_the_cache()
    {
        var cache = new OnnxModelCache(TimeProvider.System);
        var a = cache.Acquire(graphs["yolo_v8"], 1);
        var b = cache.Acquire(graphs["yolo_v8"], 1);
        Assert.Same(a, b);
        Assert.False(a.Loaded);

        a.Detect(Frame(64, 64));

        Assert.True(a.Loaded);
        cache.Release(a);
        Assert.True(b.Loaded);
        cache.Release(b);
        Assert.False(b.Loaded);
        Assert.Equal(0, cache.Count);
    }

    internal static RgbFrame Frame(int width, int height) =>
        RgbFrame.Create(width, height, new byte[width * height * 3], DateTimeOffset.UnixEpoch);

    private static void AssertBox(NormalizedBox expected, NormalizedBox actual)
    {
        Assert.InRange(actual.X, expected.X - Tolerance, expected.X + Tolerance);
        Assert.InRange(actual.Y, expected.Y - Tolerance, expected.Y + Tolerance);
        Assert.InRange(actual.Width, expected.Width - Tolerance, expected.Width + Tolerance);
        Assert.InRange(actual.Height, expected.Height - Tolerance, expected.Height + Tolerance);
    }
}
