using System.Text.Json;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Integrations.Webhooks;

namespace LightNvr.Api.Webhooks;

/// <summary>
/// A hook's JSON (POST and PUT /api/webhooks): <c>name</c>, <c>url</c>, <c>events</c> (array of start/update/end),
/// <c>streams</c> (array of names; empty = all), <c>secret</c>, <c>enabled</c>. A field of the wrong type is a 400 naming it.
/// </summary>
public static class WebhookRequest
{
    /// <summary>Names in one array at most, before the rules look at them (<see cref="WebhookRules.MaxStreams"/> is the real limit).</summary>
    private const int MaxArrayItems = 256;

    public static (WebhookInput? Input, string? Error) Parse(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var fields = new RequestFields(body);
        var name = fields.String("name", WebhookRules.MaxNameLength);
        var url = fields.String("url", WebhookRules.MaxUrlLength);
        var secret = fields.String("secret", WebhookRules.MaxSecretLength);
        var enabled = fields.Bool("enabled");
        if (fields.Error is { } error)
        {
            return (null, error);
        }
        var (kinds, kindsError) = Strings(body, "events");
        var (streams, streamsError) = Strings(body, "streams");
        if ((kindsError ?? streamsError) is { } arrayError)
        {
            return (null, arrayError);
        }
        return (new WebhookInput
        {
            Name = name?.Trim(), Url = url?.Trim(), Secret = secret, Enabled = enabled, EventKinds = kinds, Streams = streams,
        }, null);
    }

    private static (IReadOnlyList<string>? Items, string? Error) Strings(JsonObject body, string key)
    {
        if (!body.TryGetPropertyValue(key, out var node) || node is null)
        {
            return (null, null);
        }
        var problem = $"Field '{key}' must be an array of strings";
        if (node is not JsonArray array || array.Count > MaxArrayItems)
        {
            return (null, problem);
        }
        var items = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                return (null, problem);
            }
            items.Add(v.GetValue<string>());
        }
        return (items, null);
    }
}
