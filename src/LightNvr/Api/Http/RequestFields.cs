using System.Text.Json.Nodes;
using System.Text.Json;
using LightNvr.Json;

namespace LightNvr.Api.Http;

/// <summary>
/// Typed access to a request object's fields with validation. The first problem found is kept in <see cref="Error"/>
/// and names the field ("Field 'fps' must be an integer"); later reads after an error return null. JSON null counts
/// as absent. Booleans accept true/false and 0/1 (upstream's docs use both).
/// </summary>
public sealed class RequestFields(JsonObject body)
{
    public string? Error { get; private set; }

    public bool Has(string name) => body.TryGetPropertyValue(name, out var node) && node is not null;

    /// <summary>True when the body names the field at all, JSON null included (for "who may set this" checks).</summary>
    public bool Mentions(string name) => body.ContainsKey(name);

    public bool IsExplicitNull(string name) => body.TryGetPropertyValue(name, out var node) && node is null;

    public void Fail(string message) => Error ??= message;

    public string? String(string name, int maxLength = int.MaxValue)
    {
        if (Error is not null || !Value(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail($"Field '{name}' must be a string");
            return null;
        }
        var s = v.GetString()!;
        if (s.Length > maxLength)
        {
            Fail($"Field '{name}' must be at most {maxLength} characters");
            return null;
        }
        return s;
    }

    public bool? Bool(string name)
    {
        if (Error is not null || !Value(name, out var v))
        {
            return null;
        }
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number when v.TryGetInt64(out var n) && n is 0 or 1: return n == 1;
            default:
                Fail($"Field '{name}' must be a boolean");
                return null;
        }
    }

    public long? Long(string name, long min, long max)
    {
        if (Error is not null || !Value(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            // 10.0 is still an integer to JavaScript clients.
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15)
            {
                n = (long)d;
            }
            else
            {
                Fail($"Field '{name}' must be an integer");
                return null;
            }
        }
        if (n < min || n > max)
        {
            Fail($"Field '{name}' must be between {min} and {max}");
            return null;
        }
        return n;
    }

    public int? Int(string name, int min, int max) => (int?)Long(name, min, max);

    public double? Number(string name, double min, double max)
    {
        if (Error is not null || !Value(name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            Fail($"Field '{name}' must be a number");
            return null;
        }
        if (d < min || d > max)
        {
            Fail($"Field '{name}' must be between {min} and {max}");
            return null;
        }
        return d;
    }

    /// <summary>An array of exactly <paramref name="length"/> booleans.</summary>
    public bool[]? BoolArray(string name, int length)
    {
        if (Error is not null || !body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }
        if (node is not JsonArray array || array.Count != length)
        {
            Fail($"Field '{name}' must be an array of {length} booleans");
            return null;
        }
        var result = new bool[length];
        for (var i = 0; i < length; i++)
        {
            var kind = array[i]?.GetValueKind();
            if (kind is JsonValueKind.True or JsonValueKind.False)
            {
                result[i] = kind == JsonValueKind.True;
            }
            else if (kind == JsonValueKind.Number && array[i]!.GetValue<JsonElement>().TryGetInt32(out var n) && n is 0 or 1)
            {
                result[i] = n == 1;
            }
            else
            {
                Fail($"Field '{name}' must be an array of {length} booleans");
                return null;
            }
        }
        return result;
    }

    private bool Value(string name, out JsonElement value)
    {
        value = default;
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return false;
        }
        if (node is not JsonValue)
        {
            value = JsonSerializer.SerializeToElement(node, ApiJsonContext.Default.JsonNode);
            return true;
        }
        value = node.GetValue<JsonElement>();
        return true;
    }
}
