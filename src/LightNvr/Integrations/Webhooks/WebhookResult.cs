using LightNvr.Data;

namespace LightNvr.Integrations.Webhooks;

/// <summary>A hook change's outcome: the hook as saved, or why not (<see cref="Problem"/>: a 400), or no such hook.</summary>
public sealed record WebhookResult(WebhookRecord? Hook, string? Problem = null, bool NotFound = false)
{
    public static WebhookResult Invalid(string problem) => new(null, problem);

    public static readonly WebhookResult Missing = new(null, NotFound: true);
}
