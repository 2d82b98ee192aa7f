using System.Text.Json;

namespace LightNvr.Json;

/// <summary>
/// How every JSON input is parsed (request bodies, the settings document): a repeated key is an error at parse time
/// (System.Text.Json's JsonObject would otherwise throw on first access, deep inside a handler), and nesting is bounded.
/// </summary>
public static class StrictJson
{
    /// <summary>Deepest nesting of a request object: the deepest body any endpoint reads has 3 levels.</summary>
    public const int MaxDepth = 16;

    public const string InvalidJson = "Invalid JSON in request body";

    public static JsonDocumentOptions DocumentOptions => new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Why <paramref name="json"/> did not parse (called on the error path only): a repeated key, too deep, or syntax.</summary>
    public static string Describe(ReadOnlyMemory<byte> json)
    {
        if (Parses(json, new JsonDocumentOptions { MaxDepth = MaxDepth }))
        {
            return InvalidJson + ": duplicate key in an object";
        }
        return Parses(json, new JsonDocumentOptions { MaxDepth = 1000 })
            ? $"{InvalidJson}: nested deeper than {MaxDepth} levels"
            : InvalidJson;
    }

    private static bool Parses(ReadOnlyMemory<byte> json, JsonDocumentOptions options)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
