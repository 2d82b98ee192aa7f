using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace LightNvr.Detection.Objects.Api;

/// <summary>
/// Object detection by an external HTTP service (<c>detection_model = "api-detection"</c>): each frame is encoded to
/// JPEG (<see cref="JpegEncoder"/>, managed) and posted in the service's format (<see cref="ApiDetectorFormat"/>).
/// <para>Failures: each request has <see cref="ApiDetectorSettings.AttemptTimeout"/>; a refused connection, a timeout,
/// a 5xx or a 429 is retried (<see cref="ApiDetectorSettings.MaxAttempts"/>, delay doubling from
/// <see cref="ApiDetectorSettings.RetryDelay"/>); another 4xx or a reply that is not the format's JSON is not. When a
/// frame fails, <see cref="DetectAsync"/> throws <see cref="ObjectDetectorException"/> naming the service and what it
/// did, and the service is left alone for a cool-down (1 s doubling to 30 s): frames in that time fail at once with
/// the same message, so a dead service costs the shared queue nothing. After the cool-down the next frame tries
/// again; the first that works clears it (the pipeline's health goes back to ok by itself).</para>
/// </summary>
public sealed partial class ApiObjectDetector : IObjectDetector
{
    /// <summary>A reply with 20 detections is under 4 KB; 1 MiB is far beyond any real one and bounds a runaway service.</summary>
    public const int MaxReplyBytes = 1 << 20;

    private readonly HttpClient _http;
    private readonly ApiDetectorSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _failedFrames;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private string _lastError = "";

    /// <param name="http">Shared client, not disposed here; its own Timeout should be longer than the attempt timeout.</param>
    public ApiObjectDetector(HttpClient http, ApiDetectorSettings settings, TimeProvider time, ILogger<ApiObjectDetector>? logger = null)
    {
        _http = http;
        _settings = settings;
        _time = time;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Name = LightNvr.Logging.UrlRedaction.Redact(settings.Url.GetLeftPart(UriPartial.Path));
    }

    /// <summary>The service URL without credentials or query, e.g. <c>http://detector:32168/v1/vision/detection</c>.</summary>
    public string Name { get; }

    /// <summary>An HTTP service: this detector's frames take the network lane (<see cref="ObjectDetectionQueues"/>).</summary>
    public bool WaitsOnNetwork => true;

    /// <summary>Frames the service has failed in a row (0 when the last one worked).</summary>
    public int FailedFrames => _failedFrames;

    public async ValueTask<IReadOnlyList<DetectedObject>> DetectAsync(RgbFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var now = _time.GetUtcNow();
        if (now < _retryAt)
        {
            throw new ObjectDetectorException(
                $"{_lastError}; next try in {Math.Ceiling((_retryAt - now).TotalSeconds):0} s");
        }

        var jpeg = JpegEncoder.Encode(frame);
        string error;
        for (var attempt = 1; ; attempt++)
        {
            var (objects, failure, retry) = await AttemptAsync(jpeg, frame, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                if (_failedFrames > 0)
                {
                    LogRecovered(_logger, Name, _failedFrames);
                }
                _failedFrames = 0;
                _retryAt = DateTimeOffset.MinValue;
                return objects!;
            }
            error = failure;
            if (!retry || attempt >= _settings.MaxAttempts)
            {
                break;
            }
            var delay = _settings.RetryDelay * Math.Pow(2, attempt - 1);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        _failedFrames++;
        var cooldown = TimeSpan.FromTicks(Math.Min(
            _settings.FirstCooldown.Ticks * (long)Math.Pow(2, Math.Min(_failedFrames - 1, 20)), _settings.MaxCooldown.Ticks));
        _retryAt = _time.GetUtcNow() + cooldown;
        _lastError = $"detection API {Name}: {error}";
        LogFailed(_logger, Name, error, cooldown.TotalSeconds);
        throw new ObjectDetectorException(_lastError);
    }

    /// <summary>One request: the objects, or why it failed and whether another try could help.</summary>
    private async Task<(IReadOnlyList<DetectedObject>? Objects, string? Failure, bool Retry)> AttemptAsync(
        byte[] jpeg, RgbFrame frame, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_settings.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = BuildRequest(jpeg);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            var body = await ReadBodyAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                var retry = code >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                return (null, $"answered HTTP {code} {response.ReasonPhrase}: {ApiReplyParser.Preview(body)}", retry);
            }
            return (ApiReplyParser.Parse(_settings.Format, body, frame.Width, frame.Height), null, false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {_settings.AttemptTimeout.TotalSeconds:0.#} s", true);
        }
        catch (HttpRequestException e)
        {
            return (null, $"cannot be reached ({e.HttpRequestError}: {e.Message})", true);
        }
        catch (FormatException e)
        {
            return (null, e.Message, false);
        }
        catch (IOException e)
        {
            return (null, $"the connection broke ({e.Message})", true);
        }
    }

    /// <summary>
    /// The multipart POST as curl writes it (upstream's client): quoted part names and file names, no RFC 5987
    /// <c>filename*</c> and an unquoted boundary, which some Python multipart parsers reject otherwise.
    /// </summary>
    private HttpRequestMessage BuildRequest(byte[] jpeg)
    {
        var boundary = "lightnvr-" + Guid.NewGuid().ToString("N");
        var form = new MultipartFormDataContent(boundary);
        form.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=" + boundary);
        var deepStack = _settings.Format == ApiDetectorFormat.DeepStack;
        var image = new ByteArrayContent(jpeg);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        image.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = deepStack ? "\"image\"" : "\"file\"",
            FileName = deepStack ? "\"frame.jpg\"" : "\"snapshot.jpg\"",
        };
        form.Add(image);
        Uri url = _settings.Url;
        if (deepStack)
        {
            var confidence = new StringContent(_settings.ConfidenceText);
            confidence.Headers.ContentType = null;
            confidence.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"min_confidence\"" };
            form.Add(confidence);
        }
        else
        {
            var query = $"backend={Uri.EscapeDataString(_settings.Backend)}&confidence_threshold={_settings.ConfidenceText}&return_image=false";
            var existing = _settings.Url.Query.TrimStart('?');
            url = new UriBuilder(_settings.Url) { Query = existing.Length == 0 ? query : existing + "&" + query }.Uri;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxReplyBytes)
            {
                throw new FormatException($"the reply is larger than {MaxReplyBytes / 1024} KiB");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detection API {Name} failed: {Error}; next try in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, string name, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Detection API {Name} answers again after {Frames} failed frames")]
    private static partial void LogRecovered(ILogger logger, string name, int frames);
}
