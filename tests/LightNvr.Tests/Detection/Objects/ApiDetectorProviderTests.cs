using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Detection.Objects;
using LightNvr.Detection.Objects.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Detection.Objects;

public sealed class ApiDetectorProviderTests
{
    private static ApiDetectorProvider Provider(string url = "http://127.0.0.1:5000/v1/vision/detection")
    {
        var config = new LightNvrConfig { ApiDetection = new ApiDetectionOptions { Url = url } };
        return new ApiDetectorProvider(new ConfigSnapshots(config), TimeProvider.System, NullLoggerFactory.Instance);
    }

    [Fact]
    public void Api_detection_streams_get_the_configured_service_and_others_are_left_to_other_providers()
    {
        using var provider = Provider();
        Assert.IsType<ApiObjectDetector>(provider.Create(new StreamConfig { Name = "a", Url = "rtsp://h/1", DetectionModel = "api-detection" }));
        Assert.Null(provider.Create(new StreamConfig { Name = "b", Url = "rtsp://h/1", DetectionModel = "motion" }));
        Assert.Null(provider.Create(new StreamConfig { Name = "c", Url = "rtsp://h/1", DetectionModel = "yolo11n.onnx" }));
    }

    [Fact]
    public async Task A_bad_url_is_a_detector_that_says_why_on_every_frame()
    {
        using var provider = Provider("ftp://nowhere/detect");
        await using var detector = provider.Create(new StreamConfig { Name = "a", Url = "rtsp://h/1", DetectionModel = "api-detection" })!;
        var frame = RgbFrame.Create(2, 2, new byte[12], DateTimeOffset.UnixEpoch);
        var e = await Assert.ThrowsAsync<ObjectDetectorException>(() => detector.DetectAsync(frame, default).AsTask());
        Assert.Contains("is not an http:// or https:// URL", e.Message, StringComparison.Ordinal);
    }
}
