using System.Diagnostics;
using LightNvr.Config;
using LightNvr.Detection.Objects;
using LightNvr.Detection.Objects.Api;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// The external detection API client against <see cref="DetectionServiceStandIn"/>, the project's own stand-in for a
/// DeepStack / CodeProject.AI / light-object-detect service: request formats (checked against curl's), replies,
/// a service that hangs, answers garbage, answers 500, is down, and comes back.
/// </summary>
public sealed class ApiObjectDetectorTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private DetectionServiceStandIn _service = null!;

    public async Task InitializeAsync() => _service = await DetectionServiceStandIn.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    /// <summary>A 320×240 frame: a gradient with a bright square (something a JPEG has to keep).</summary>
    internal static RgbFrame Frame(int width = 320, int height = 240)
    {
        var px = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                var inSquare = x is >= 100 and < 160 && y is >= 80 and < 140;
                px[i] = inSquare ? (byte)250 : (byte)(x * 255 / width);
                px[i + 1] = inSquare ? (byte)240 : (byte)(y * 255 / height);
                px[i + 2] = inSquare ? (byte)30 : (byte)128;
            }
        }
        return RgbFrame.Create(width, height, px, DateTimeOffset.UnixEpoch);
    }

    private ApiObjectDetector Detector(Uri url, TimeSpan? timeout = null) => new(Http, Fast(url) with
    {
        AttemptTimeout = timeout ?? TimeSpan.FromSeconds(5),
    }, TimeProvider.System);

    /// <summary>Short delays so the failure tests take well under a second each; the policy is the same.</summary>
    private static ApiDetectorSettings Fast(Uri url) => ApiDetectorSettings.From(new ApiDetectionOptions { Url = url.ToString() }) with
    {
        RetryDelay = TimeSpan.FromMilliseconds(20),
        FirstCooldown = TimeSpan.FromMilliseconds(300),
        MaxCooldown = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task DeepStack_request_and_reply_are_read_as_the_format_says()
    {
        _service.Reply = """
            {"success":true,"predictions":[
              {"label":"person","confidence":0.91,"x_min":96,"y_min":72,"x_max":160,"y_max":144},
              {"label":"car","confidence":0.4,"x_min":-5,"y_min":200,"x_max":400,"y_max":260},
              {"label":"broken","confidence":"high","x_min":1,"y_min":1,"x_max":2,"y_max":2}
            ],"code":200,"inferenceMs":12}
            """;
        await using var detector = Detector(_service.DeepStackUrl);
        Assert.Equal(ApiDetectorFormat.DeepStack, ApiDetectorSettings.FormatOf(_service.DeepStackUrl));

        var found = await detector.DetectAsync(Frame(), CancellationToken.None);

        var request = Assert.Single(_service.Requests);
        Assert.Equal("/v1/vision/detection", request.Path);
        Assert.Equal("0.50", request.Fields["min_confidence"]);
        var image = Assert.Single(request.Files);
        Assert.Equal(("image", "frame.jpg", "image/jpeg"), (image.Field, image.FileName, image.ContentType));
        Assert.Equal([0xFF, 0xD8], image.Bytes[..2]);
        // Pixels of the 320×240 upload → normalised; the car is clamped to the frame; the malformed entry is skipped.
        Assert.Equal(2, found.Count);
        Assert.Equal("person", found[0].Label);
        Assert.Equal(0.91f, found[0].Confidence, 3);
        Assert.Equal(new LightNvr.Events.NormalizedBox(0.3f, 0.3f, 0.2f, 0.3f), found[0].Box);
        Assert.Equal(0f, found[1].Box.X);
        Assert.Equal(1f, found[1].Box.Width);
    }

    [Fact]
    public async Task Light_object_detect_request_carries_upstreams_query_and_reads_normalised_boxes()
    {
        _service.Reply = """
            {"backend":"onnx","filename":"snapshot.jpg","process_time_ms":20,"image_width":320,"image_height":240,
             "detections":[{"label":"dog","confidence":0.8,"bounding_box":{"x_min":0.1,"y_min":0.2,"x_max":0.5,"y_max":0.9}},
                           {"label":"cat","confidence":0.6,"x_min":0.5,"y_min":0.5,"x_max":0.75,"y_max":1.0}]}
            """;
        var settings = ApiDetectorSettings.From(new ApiDetectionOptions { Url = _service.LightObjectDetectUrl.ToString(), Backend = "tflite" },
            threshold: 0.65f);
        await using var detector = new ApiObjectDetector(Http, settings, TimeProvider.System);

        var found = await detector.DetectAsync(Frame(), CancellationToken.None);

        var request = Assert.Single(_service.Requests);
        Assert.Equal("/api/v1/detect", request.Path);
        Assert.Equal("?backend=tflite&confidence_threshold=0.65&return_image=false", request.Query);
        Assert.Equal("application/json", request.Accept);
        var file = Assert.Single(request.Files);
        Assert.Equal(("file", "snapshot.jpg", "image/jpeg"), (file.Field, file.FileName, file.ContentType));
        Assert.Equal(["dog", "cat"], found.Select(f => f.Label));
        Assert.Equal(0.1f, found[0].Box.X, 4);
        Assert.Equal(0.7f, found[0].Box.Height, 4);
        Assert.Equal(0.25f, found[1].Box.Width, 4);
    }

    [Fact]
    public async Task Hanging_service_times_out_retries_then_cools_down_and_recovers()
    {
        _service.Behaviour = DetectionServiceStandIn.Mode.Hang;
        await using var detector = Detector(_service.DeepStackUrl, TimeSpan.FromMilliseconds(300));

        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());
        Assert.Contains("no answer within 0.3 s", e.Message);
        Assert.Contains(_service.DeepStackUrl.ToString(), e.Message);
        Assert.Equal(ApiDetectorSettings.DefaultMaxAttempts, _service.Requests.Count);
        Assert.InRange(sw.ElapsedMilliseconds, 900, 4000); // three 0.3 s attempts plus 20 + 40 ms between them

        // Within the cool-down a frame fails at once, without a request.
        sw.Restart();
        var again = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());
        Assert.True(sw.ElapsedMilliseconds < 200, $"{sw.ElapsedMilliseconds} ms");
        Assert.Contains("next try in", again.Message);
        Assert.Equal(ApiDetectorSettings.DefaultMaxAttempts, _service.Requests.Count);

        // The service comes back: after the cool-down the next frame works and the failure count is cleared.
        _service.Behaviour = DetectionServiceStandIn.Mode.Answer;
        await Task.Delay(350);
        Assert.Empty(await detector.DetectAsync(Frame(), CancellationToken.None));
        Assert.Equal(0, detector.FailedFrames);
    }

    [Fact]
    public async Task Garbage_reply_fails_at_once_without_retry_and_quotes_it()
    {
        _service.Behaviour = DetectionServiceStandIn.Mode.Garbage;
        await using var detector = Detector(_service.DeepStackUrl);

        var e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());

        Assert.Contains("the reply is not JSON: '<html>. upstream proxy error</html>'", e.Message);
        Assert.Single(_service.Requests);
        Assert.Equal(1, detector.FailedFrames);
    }

    [Fact]
    public async Task HTTP_500_is_retried_then_reported()
    {
        _service.Behaviour = DetectionServiceStandIn.Mode.Error500;
        await using var detector = Detector(_service.DeepStackUrl);

        var e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());

        Assert.Contains("answered HTTP 500 Internal Server Error", e.Message);
        Assert.Contains("model crashed", e.Message);
        Assert.Equal(3, _service.Requests.Count);
    }

    [Fact]
    public async Task One_failed_attempt_is_ridden_out_by_the_retry()
    {
        _service.FailNext = 1;
        _service.Reply = """{"success":true,"predictions":[{"label":"cat","confidence":0.7,"x_min":0,"y_min":0,"x_max":32,"y_max":24}]}""";
        await using var detector = Detector(_service.DeepStackUrl);

        var found = await detector.DetectAsync(Frame(), CancellationToken.None);

        Assert.Equal("cat", Assert.Single(found).Label);
        Assert.Equal(2, _service.Requests.Count);
        Assert.Equal(0, detector.FailedFrames);
    }

    [Fact]
    public async Task Dead_service_says_it_cannot_be_reached()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var url = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/v1/vision/detection");
        port.Stop(); // nothing listens there now
        await using var detector = Detector(url);

        var e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());

        Assert.Contains("cannot be reached", e.Message);
        Assert.StartsWith($"detection API {url}", e.Message);
    }

    [Fact]
    public async Task Success_false_and_missing_list_are_errors()
    {
        await using var detector = Detector(_service.DeepStackUrl);
        _service.Reply = """{"success":false,"error":"No valid image file was found"}""";
        var e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());
        Assert.Contains("success=false: No valid image file was found", e.Message);

        await Task.Delay(350); // past the cool-down
        _service.Reply = """{"success":true}""";
        e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(Frame(), CancellationToken.None).AsTask());
        Assert.Contains("no predictions[] list", e.Message);
    }

    [Fact]
    public void Credentials_stay_out_of_the_name_and_a_bad_url_is_refused()
    {
        var s = ApiDetectorSettings.From(new ApiDetectionOptions { Url = "http://user:secret@detector:32168/v1/vision/detection?key=x" });
        var detector = new ApiObjectDetector(Http, s, TimeProvider.System);
        Assert.DoesNotContain("secret", detector.Name);
        Assert.DoesNotContain("key=x", detector.Name);
        Assert.Equal(ApiDetectorFormat.DeepStack, s.Format);

        var e = Assert.Throws<ObjectDetectorException>(() => ApiDetectorSettings.From(new ApiDetectionOptions(), "ftp://detector/x"));
        Assert.Contains("not an http:// or https:// URL", e.Message);
        Assert.Equal(ApiDetectorFormat.LightObjectDetect, ApiDetectorSettings.From(new ApiDetectionOptions()).Format);
        Assert.Equal(0.5f, ApiDetectorSettings.From(new ApiDetectionOptions()).Confidence); // default_detection_threshold 50 %
    }

    /// <summary>
    /// An independent client: curl sends the same upload as upstream's libcurl client does (-F part with type and file
    /// name; light-object-detect's query) and the stand-in's multipart parser must see exactly what it saw from us.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Curls_request_parses_the_same_as_ours(bool deepStack)
    {
        _service.Reply = deepStack ? """{"success":true,"predictions":[]}""" : """{"detections":[]}""";
        var url = deepStack ? _service.DeepStackUrl : _service.LightObjectDetectUrl;
        await using var detector = Detector(url);
        await detector.DetectAsync(Frame(), CancellationToken.None);
        Assert.True(_service.Requests.TryDequeue(out var ours));

        using var tmp = new LightNvr.Testing.TempFolder("curl");
        var jpeg = Path.Combine(tmp.Path, "upload.jpg");
        await File.WriteAllBytesAsync(jpeg, ours!.Files[0].Bytes);
        string[] args = deepStack
            ? ["-sf", "-H", "Accept: application/json", "-F", $"image=@{jpeg};type=image/jpeg;filename=frame.jpg", "-F", "min_confidence=0.50", url.ToString()]
            : ["-sf", "-H", "accept: application/json", "-F", $"file=@{jpeg};type=image/jpeg;filename=snapshot.jpg",
                url + "?backend=onnx&confidence_threshold=0.50&return_image=false"];
        var (code, _, err) = await JpegEncoderTests.RunAsync("curl", [], args);
        Assert.True(code == 0, "curl: " + err);
        Assert.True(_service.Requests.TryDequeue(out var curls));

        Assert.Equal(curls!.Path, ours.Path);
        Assert.Equal(curls.Query, ours.Query);
        Assert.Equal(curls.Accept, ours.Accept);
        Assert.Equal(curls.Fields, ours.Fields);
        var (a, b) = (Assert.Single(curls.Files), Assert.Single(ours.Files));
        Assert.Equal((a.Field, a.FileName, a.ContentType), (b.Field, b.FileName, b.ContentType));
        Assert.Equal(a.Bytes, b.Bytes);
    }
}
