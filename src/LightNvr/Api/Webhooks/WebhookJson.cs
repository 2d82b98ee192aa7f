using System.Text.Json.Nodes;
using LightNvr.Data;

namespace LightNvr.Api.Webhooks;

/// <summary>
/// The hook and delivery objects of /api/webhooks (docs/webhooks.md). The secret never leaves: <c>"secret":"set"</c>.
/// Times are unix seconds.
/// </summary>
public static class WebhookJson
{
    public const string SecretSet = "set";

    public static JsonObject Hook(WebhookRecord h, long pending) => new()
    {
        ["id"] = h.Id,
        ["name"] = h.Name,
        ["url"] = h.Url,
        ["events"] = new JsonArray([.. h.EventKinds.Select(k => (JsonNode)k)]),
        ["streams"] = new JsonArray([.. h.Streams.Select(s => (JsonNode)s)]),
        ["secret"] = SecretSet,
        ["enabled"] = h.Enabled,
        ["created_at"] = h.CreatedAt,
        ["updated_at"] = h.UpdatedAt,
        ["last_status"] = h.LastStatus,
        ["last_error"] = h.LastError,
        ["last_attempt_at"] = h.LastAttemptAt,
        ["last_success_at"] = h.LastSuccessAt,
        ["pending"] = pending,
    };

    public static JsonObject Delivery(WebhookDelivery d) => new()
    {
        ["id"] = d.Id,
        ["type"] = d.Kind,
        ["event_id"] = d.EventId,
        ["stream"] = d.StreamName,
        ["state"] = d.State,
        ["attempts"] = d.Attempts,
        ["created_at"] = d.CreatedMs / 1000,
        ["last_attempt_at"] = d.LastAttemptMs / 1000,
        ["next_attempt_at"] = d.State == WebhookDeliveryState.Pending ? d.NextAttemptMs / 1000 : null,
        ["last_status"] = d.LastStatus,
        ["last_error"] = d.LastError,
        ["duration_ms"] = d.DurationMs,
    };
}
