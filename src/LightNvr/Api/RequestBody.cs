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
        try
        {
            var node = JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length),
                documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
            return node is JsonObject obj ? (obj, null) : (null, ApiErrors.BadRequest(InvalidJson));
        }
        catch (JsonException)
        {
            return (null, ApiErrors.BadRequest(InvalidJson));
        }
    }
}
