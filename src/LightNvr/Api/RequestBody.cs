using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightNvr.Api;

/// <summary>Reads a request body as one JSON object, bounded in size; anything else is upstream's 400.</summary>
public static class RequestBody
{
    /// <summary>Largest JSON body accepted: a stream with a long go2rtc override fits many times over.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public const string InvalidJson = "Invalid JSON in request body";

    /// <summary>The body's object, or null with <paramref name="error"/> set (400 bad JSON, 413 too large).</summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, ApiErrors.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large"));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, ApiErrors.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large"));
            }
            buffer.Write(chunk, 0, read);
        }
        return ParseObject(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } obj
            ? (obj, null)
            : (null, ApiErrors.BadRequest(InvalidJson));
    }

    /// <summary>The body's JSON object, or null (upstream's 400) for anything else.</summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> utf8)
    {
        // JsonNode decodes strings and property names lazily: invalid UTF-8 inside one would throw
        // InvalidOperationException at the first read (a 500), so the whole body is checked here. Found by fuzzing.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        try
        {
            // Duplicate names are refused while parsing: JsonObject would throw ArgumentException at the first read.
            return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false })
                as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
