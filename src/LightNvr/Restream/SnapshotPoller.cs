using System.Net;
using LightNvr.Media.Rtsp;

namespace LightNvr.Restream;

/// <summary>
/// Fetches a camera's JPEG snapshot URL <c>rate</c> times a second and writes each picture to a stream (ffmpeg's
/// stdin, which encodes them to H.264: <see cref="FfmpegSourceUrl"/> <c>#input=snapshot</c>). Credentials in the URL
/// are sent as HTTP Basic or Digest (RFC 7617, RFC 7616: whichever the camera asks for), never in the request line or
/// a message. HTTPS certificates are checked as <see cref="CameraTlsOptions"/> says. A failure before the first picture
/// ends the run at once (the supervisor retries with its backoff); later, pictures that fail are skipped, and no
/// picture for <see cref="MaxSilence"/> ends it with the last error.
/// </summary>
public sealed class SnapshotPoller
{
    /// <summary>Largest picture accepted: a 4K JPEG at high quality is about 2–3 MB (as FfmpegJpegDecoder).</summary>
    public const int MaxPictureBytes = 16 * 1024 * 1024;

    /// <summary>Same bound as an RTSP camera's read timeout (RtspClientOptions): silent this long, it is down.</summary>
    public static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(RtspClientOptions.DefaultReadTimeoutSeconds);

    /// <summary>One fetch: as an RTSP request (RtspClientOptions.DefaultRequestTimeoutSeconds) less than the silence bound.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Uri _url;
    private readonly NetworkCredential? _credential;
    private readonly int _rate;
    private readonly CameraTlsOptions _tls;
    private readonly TimeProvider _time;

    public SnapshotPoller(Uri url, int rate, CameraTlsOptions tls, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 1);
        _credential = RtspUrl.GetCredentials(url);
        _url = RtspUrl.WithoutUserInfo(url);
        _rate = rate;
        _tls = tls;
        _time = time;
    }

    /// <summary>Pictures written so far (of this poller's runs).</summary>
    public long Pictures => Interlocked.Read(ref _pictures);

    private long _pictures;

    /// <summary>Polls until cancelled or the camera fails as described above (throws <see cref="IOException"/>).</summary>
    public async Task RunAsync(Stream output, CancellationToken ct)
    {
        string? refused = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = RequestTimeout,
            Credentials = _credential,
            PreAuthenticate = _credential is not null,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = _tls.CreateValidator(why => refused = why);
        using var client = new HttpClient(handler) { Timeout = RequestTimeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("LightNVR");

        var lastPicture = _time.GetUtcNow();
        var seen = false;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _rate), _time);
        do
        {
            string error;
            try
            {
                var picture = await FetchAsync(client, ct).ConfigureAwait(false);
                await output.WriteAsync(picture, ct).ConfigureAwait(false);
                await output.FlushAsync(ct).ConfigureAwait(false);
                Interlocked.Increment(ref _pictures);
                lastPicture = _time.GetUtcNow();
                seen = true;
                continue;
            }
            catch (HttpRequestException e)
            {
                error = refused ?? e.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"no answer within {RequestTimeout.TotalSeconds:0} s";
            }
            catch (InvalidDataException e)
            {
                error = e.Message;
            }

            var message = $"snapshot {RtspUrl.Redact(_url)}: {error}";
            if (!seen || _time.GetUtcNow() - lastPicture >= MaxSilence)
            {
                throw new IOException(seen ? $"no picture for {MaxSilence.TotalSeconds:0} s; {message}" : message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    private async Task<byte[]> FetchAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidDataException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > MaxPictureBytes)
        {
            throw new InvalidDataException($"picture larger than {MaxPictureBytes / (1024 * 1024)} MB");
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var picture = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (picture.Length + read > MaxPictureBytes)
            {
                throw new InvalidDataException($"picture larger than {MaxPictureBytes / (1024 * 1024)} MB");
            }

            picture.Write(buffer, 0, read);
        }

        // A JPEG starts with SOI and ends with EOI (ITU T.81 B.2.1): anything else (an HTML login page, a truncated
        // reply) would stop ffmpeg's decoder.
        var bytes = picture.ToArray();
        if (bytes.Length < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[^2] != 0xFF || bytes[^1] != 0xD9)
        {
            throw new InvalidDataException($"not a JPEG picture ({response.Content.Headers.ContentType?.MediaType ?? "no type"}, {bytes.Length} bytes)");
        }

        return bytes;
    }
}
