using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Detection.Objects.Api;

/// <summary>
/// <c>detection_model = "api-detection"</c> (upstream's value): an <see cref="ApiObjectDetector"/> for the stream's own
/// <c>detection_url</c> when set, else <c>[api_detection] url</c>; DeepStack/CodeProject.AI or light-object-detect by the
/// URL's path. One HttpClient for every stream (connections are pooled, nothing per frame). A URL that is not http(s)
/// becomes a detector that reports why on every frame, so the stream's health says so.
/// </summary>
public sealed class ApiDetectorProvider(ConfigSnapshots config, TimeProvider time, ILoggerFactory loggers)
    : IObjectDetectorProvider, IDisposable
{
    public const string ModelName = DetectionPlan.ApiModel;

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan }; // each attempt has its own timeout

    public IObjectDetector? Create(StreamConfig stream)
    {
        if (!string.Equals(stream.DetectionModel.Trim(), ModelName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var settings = ApiDetectorSettings.From(config.Current.ApiDetection, stream.DetectionUrl, (float)stream.DetectionThreshold);
            return new ApiObjectDetector(_http, settings, time, loggers.CreateLogger<ApiObjectDetector>());
        }
        catch (ObjectDetectorException e)
        {
            return new UnavailableObjectDetector(ModelName, e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
