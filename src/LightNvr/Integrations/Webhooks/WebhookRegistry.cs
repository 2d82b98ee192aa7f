using System.Text;
using LightNvr.Data;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// The hooks as the API changes them (docs/webhooks.md): validation (<see cref="WebhookRules"/>), the store, and the
/// sender told of every change. Disabling a hook drops its pending deliveries (old events should not arrive hours
/// later when it is enabled again). <see cref="TestAsync"/> sends one signed <c>test</c> request at once, logged as a
/// delivery, never retried.
/// </summary>
public sealed class WebhookRegistry(WebhookStore store, WebhookSender sender, WebhookClient client, WebhookTargets targets,
    TimeProvider time)
{
    public const string TooMany = "Too many webhooks";

    public Task<List<WebhookRecord>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public Task<WebhookRecord?> GetAsync(long id, CancellationToken ct) => store.GetAsync(id, ct);

    public async Task<WebhookResult> CreateAsync(WebhookInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Url is null)
        {
            return WebhookResult.Invalid("'url' is required");
        }
        if (input.Secret is null)
        {
            return WebhookResult.Invalid($"'secret' is required ({WebhookRules.MinSecretLength}–{WebhookRules.MaxSecretLength} characters)");
        }
        var hook = Apply(new WebhookRecord { Url = input.Url, Secret = input.Secret }, input);
        if (WebhookRules.Problem(hook, targets) is { } problem)
        {
            return WebhookResult.Invalid(problem);
        }
        if (await store.CountAsync(ct).ConfigureAwait(false) >= WebhookRules.MaxHooks)
        {
            return WebhookResult.Invalid($"{TooMany} (at most {WebhookRules.MaxHooks})");
        }
        var id = await store.InsertAsync(hook, ct).ConfigureAwait(false);
        await sender.RefreshHooksAsync(ct).ConfigureAwait(false);
        return new WebhookResult(await store.GetAsync(id, ct).ConfigureAwait(false));
    }

    public async Task<WebhookResult> UpdateAsync(long id, WebhookInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await store.GetAsync(id, ct).ConfigureAwait(false) is not { } current)
        {
            return WebhookResult.Missing;
        }
        var hook = Apply(current, input);
        if (WebhookRules.Problem(hook, targets) is { } problem)
        {
            return WebhookResult.Invalid(problem);
        }
        if (!await store.UpdateAsync(hook, ct).ConfigureAwait(false))
        {
            return WebhookResult.Missing;
        }
        if (current.Enabled && !hook.Enabled)
        {
            await store.DropPendingAsync(id, "hook disabled", ct).ConfigureAwait(false);
        }
        await sender.RefreshHooksAsync(ct).ConfigureAwait(false);
        return new WebhookResult(await store.GetAsync(id, ct).ConfigureAwait(false));
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        var deleted = await store.DeleteAsync(id, ct).ConfigureAwait(false);
        await sender.RefreshHooksAsync(ct).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>One signed test request now (disabled hooks too), logged; null when there is no such hook.</summary>
    public async Task<(WebhookResponse Response, long DeliveryId, long DurationMs)?> TestAsync(long id, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct).ConfigureAwait(false) is not { } hook)
        {
            return null;
        }
        var body = WebhookPayload.ForTest(hook.Id, time.GetUtcNow());
        var started = time.GetTimestamp();
        // The delivery id is known once the row exists; the test request carries 0 (it is never retried).
        var response = await client.SendAsync(new Uri(hook.Url), hook.Secret, WebhookPayload.Test, 0, Encoding.UTF8.GetBytes(body), ct)
            .ConfigureAwait(false);
        var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var attempt = new WebhookAttempt(response.Delivered ? WebhookDeliveryState.Delivered : WebhookDeliveryState.Failed, nowMs,
            response.Status, response.Error, nowMs, duration);
        var deliveryId = await store.InsertFinishedAsync(new WebhookDelivery { WebhookId = id, Kind = WebhookPayload.Test, Body = body },
            attempt, CancellationToken.None).ConfigureAwait(false);
        return (response, deliveryId, duration);
    }

    public Task<List<WebhookDelivery>> DeliveriesAsync(long id, int limit, CancellationToken ct) => store.DeliveriesAsync(id, limit, ct);

    public Task<long> PendingAsync(long id, CancellationToken ct) => store.PendingCountAsync(id, ct);

    private static WebhookRecord Apply(WebhookRecord hook, WebhookInput input) => hook with
    {
        Name = input.Name ?? hook.Name,
        Url = input.Url ?? hook.Url,
        EventKinds = input.EventKinds ?? hook.EventKinds,
        Streams = input.Streams ?? hook.Streams,
        Secret = input.Secret ?? hook.Secret,
        Enabled = input.Enabled ?? hook.Enabled,
    };
}
