using System.Globalization;
using LightNvr.Config;

namespace LightNvr.Detection.Objects.Api;

/// <summary>
/// How <see cref="ApiObjectDetector"/> talks to one service: its URL (the stream's <c>detection_api_url</c> or
/// <c>[api_detection] url</c>), light-object-detect's <c>backend</c>, the confidence sent with each request (0–1), and
/// the timeout and retry policy.
/// </summary>
public sealed record ApiDetectorSettings
{
    /// <summary>Upstream's curl timeout for one request (api_detection.c: CURLOPT_TIMEOUT 10).</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Tries per frame: the first and two retries (0.5 s, then 1 s later). Enough to ride out a service restart or a
    /// dropped keep-alive connection; more would hold the shared inference queue for a service that is down.
    /// </summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>A service that failed is not called again for 1 s, doubling per failed frame up to 30 s (the same
    /// back-off as the camera and decoder restarts, docs/detection.md); the first frame that works resets it.</summary>
    public static readonly TimeSpan DefaultMaxCooldown = TimeSpan.FromSeconds(30);

    /// <summary>DeepStack's and CodeProject.AI's object detection route; any other path is light-object-detect.</summary>
    public const string DeepStackPath = "/v1/vision/detection";

    public required Uri Url { get; init; }

    public ApiDetectorFormat Format { get; init; } = ApiDetectorFormat.LightObjectDetect;

    /// <summary>light-object-detect's <c>backend</c> query parameter (onnx, tflite, opencv).</summary>
    public string Backend { get; init; } = "onnx";

    /// <summary>Minimum confidence the service is asked for, 0–1 (upstream sends 0.5 when none is set).</summary>
    public float Confidence { get; init; } = 0.5f;

    public TimeSpan AttemptTimeout { get; init; } = DefaultAttemptTimeout;

    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan FirstCooldown { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxCooldown { get; init; } = DefaultMaxCooldown;

    /// <summary>
    /// Settings for a stream: <paramref name="streamUrl"/> (its <c>detection_api_url</c>) when set, else the
    /// configured URL; <paramref name="threshold"/> (the stream's <c>detection_threshold</c>, 0–1) when above 0, else
    /// <c>default_detection_threshold</c>. Throws <see cref="ObjectDetectorException"/> for a URL that is not http(s).
    /// </summary>
    public static ApiDetectorSettings From(ApiDetectionOptions options, string? streamUrl = null, float threshold = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = string.IsNullOrWhiteSpace(streamUrl) ? options.Url : streamUrl.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ObjectDetectorException(
                $"detection API URL '{LightNvr.Logging.UrlRedaction.Redact(text)}' is not an http:// or https:// URL");
        }
        return new ApiDetectorSettings
        {
            Url = url,
            Format = FormatOf(url),
            Backend = options.Backend,
            Confidence = threshold > 0 ? Math.Min(threshold, 1f) : options.DetectionThreshold / 100f,
        };
    }

    /// <summary>DeepStack when the path ends in <see cref="DeepStackPath"/>, else light-object-detect.</summary>
    public static ApiDetectorFormat FormatOf(Uri url) =>
        url.AbsolutePath.TrimEnd('/').EndsWith(DeepStackPath, StringComparison.OrdinalIgnoreCase)
            ? ApiDetectorFormat.DeepStack
            : ApiDetectorFormat.LightObjectDetect;

    /// <summary>The confidence as both services' parsers read it ("0.50", invariant culture, as upstream's %.2f).</summary>
    public string ConfidenceText => Confidence.ToString("0.00", CultureInfo.InvariantCulture);
}
