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

    // Made for the first api-detection stream, typed object so that nothing loads System.Net.Http before (about 2 MB
    // of idle RSS with its TLS stack); each attempt has its own timeout.
    private object? _http;

    public IObjectDetector? Create(StreamConfig stream)
    {
        if (!string.Equals(stream.DetectionModel.Trim(), ModelName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var settings = ApiDetectorSettings.From(config.Current.ApiDetection, stream.DetectionUrl, (float)stream.DetectionThreshold);
            return new ApiObjectDetector(Http(), settings, time, loggers.CreateLogger<ApiObjectDetector>());
        }
        catch (ObjectDetectorException e)
        {
            return new UnavailableObjectDetector(ModelName, e.Message);
        }
    }

    public void Dispose() => (_http as IDisposable)?.Dispose();

    private HttpClient Http()
    {
        if (_http is HttpClient made)
        {
            return made;
        }

        var created = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        if (Interlocked.CompareExchange(ref _http, created, null) is HttpClient other)
        {
            created.Dispose();
            return other;
        }

        return created;
    }
}
