using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using LightNvr.Hosting;
using LightNvr.Json;

namespace LightNvr.Api.Http;

/// <summary>
/// Reads a request body bounded in size whatever its transfer encoding (Content-Length or chunked), as valid UTF-8, and
/// as one JSON object with unique keys and bounded depth. Anything else is a 400 or 413 with a message saying what was
/// wrong, never an exception that reaches the client as a 500.
/// </summary>
public static class RequestBody
{
    /// <summary>Largest JSON body accepted: Kestrel's own cap (<see cref="HostingExtensions.MaxRequestBodyBytes"/>).</summary>
    public const int MaxBodyBytes = (int)HostingExtensions.MaxRequestBodyBytes;

    /// <summary>Deepest nesting of a request object (<see cref="StrictJson.MaxDepth"/>).</summary>
    public const int MaxDepth = StrictJson.MaxDepth;

    public const string InvalidJson = StrictJson.InvalidJson;
    public const string InvalidUtf8 = "Request body is not valid UTF-8";

    /// <summary>How every request's JSON is parsed (<see cref="StrictJson.DocumentOptions"/>).</summary>
    public static JsonDocumentOptions DocumentOptions => StrictJson.DocumentOptions;

    /// <summary>The body's object, or null with <paramref name="error"/> set (400 bad JSON, 413 too large).</summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        var (body, status, message) = await ReadObjectCoreAsync(request).ConfigureAwait(false);
        return body is not null ? (body, null) : (null, ApiErrors.Status(status, message!));
    }

    /// <summary>As <see cref="ReadObjectAsync"/>, the refusal as status and message (login words its own).</summary>
    public static async Task<(JsonObject? Body, int Status, string? Message)> ReadObjectCoreAsync(HttpRequest request)
    {
        var (bytes, status, message) = await ReadBytesCoreAsync(request, MaxBodyBytes).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, status, message);
        }
        try
        {
            var node = JsonNode.Parse(bytes, documentOptions: DocumentOptions);
            return node is JsonObject obj ? (obj, 200, null) : (null, StatusCodes.Status400BadRequest, InvalidJson);
        }
        catch (JsonException)
        {
            return (null, StatusCodes.Status400BadRequest, StrictJson.Describe(bytes));
        }
    }

    /// <summary>
    /// The JSON object in <paramref name="utf8"/> under the same rules as a request body (valid UTF-8, unique keys,
    /// bounded depth), or null for anything else (a 400). JsonNode decodes strings lazily, so invalid UTF-8 inside a
    /// string would only throw at its first read: it is checked first (found by the json fuzz target).
    /// </summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(utf8, documentOptions: DocumentOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The whole body as <see cref="ReadBytesCoreAsync"/> reads it, the refusal as a JSON error.</summary>
    public static async Task<(byte[]? Body, IResult? Error)> ReadBytesAsync(HttpRequest request, int maxBytes)
    {
        var (bytes, status, message) = await ReadBytesCoreAsync(request, maxBytes).ConfigureAwait(false);
        return bytes is not null ? (bytes, null) : (null, ApiErrors.Status(status, message!));
    }

    /// <summary>
    /// The whole body, at most <paramref name="maxBytes"/> and valid UTF-8; else null with 413 or 400 and why. The count
    /// is kept while reading, so a chunked body (no Content-Length) is cut off at the limit rather than buffered whole.
    /// </summary>
    public static async Task<(byte[]? Body, int Status, string? Message)> ReadBytesCoreAsync(HttpRequest request, int maxBytes)
    {
        var tooLarge = (default(byte[]), StatusCodes.Status413PayloadTooLarge, $"Request body too large (at most {maxBytes} bytes)");
        if (request.ContentLength > maxBytes)
        {
            return tooLarge;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return tooLarge;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals while reading: over its MaxRequestBodySize (413), a broken chunked encoding (400).
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge ? tooLarge : (null, e.StatusCode, "Malformed request body: " + e.Message);
        }
        var bytes = buffer.ToArray();
        return Utf8.IsValid(bytes) ? (bytes, 200, null) : (null, StatusCodes.Status400BadRequest, InvalidUtf8);
    }
}
