using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Integrations.Webhooks;

namespace LightNvr.Api.Webhooks;

/// <summary>
/// <c>/api/webhooks</c> (docs/webhooks.md): admin-only CRUD of the hooks, a signed test request, and a hook's delivery
/// log. Names no stream (a hook's stream filter is configuration, not access to a stream).
/// </summary>
public static class WebhookEndpoints
{
    public const string NotFound = "Webhook not found";
    public const string InvalidId = "Invalid webhook ID";

    /// <summary>Deliveries one page shows at most: the whole kept log (<see cref="Data.WebhookStore.MaxLogPerHook"/>) and some pending.</summary>
    public const int MaxDeliveries = 200;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/webhooks").WithMetadata(StreamScope.None).RequireAuthorization(Policies.Admin);
        hooks.MapGet("", ListAsync);
        hooks.MapPost("", CreateAsync);
        hooks.MapGet("/{id}", GetAsync);
        hooks.MapPut("/{id}", UpdateAsync);
        hooks.MapDelete("/{id}", DeleteAsync);
        hooks.MapPost("/{id}/test", TestAsync);
        hooks.MapGet("/{id}/deliveries", DeliveriesAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(WebhookRegistry registry, HttpContext context)
    {
        var array = new JsonArray();
        foreach (var hook in await registry.ListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            array.Add(WebhookJson.Hook(hook, await registry.PendingAsync(hook.Id, context.RequestAborted).ConfigureAwait(false)));
        }
        return JsonReply.Ok(new JsonObject { ["webhooks"] = array });
    }

    private static async Task<IResult> GetAsync(string id, WebhookRegistry registry, HttpContext context)
    {
        if (!long.TryParse(id, out var hookId) || hookId <= 0)
        {
            return ApiErrors.BadRequest(InvalidId);
        }
        return await registry.GetAsync(hookId, context.RequestAborted).ConfigureAwait(false) is { } hook
            ? JsonReply.Ok(WebhookJson.Hook(hook, await registry.PendingAsync(hookId, context.RequestAborted).ConfigureAwait(false)))
            : ApiErrors.NotFound(NotFound);
    }

    private static async Task<IResult> CreateAsync(WebhookRegistry registry, HttpContext context)
    {
        var (input, error) = await ReadAsync(context).ConfigureAwait(false);
        return input is null ? error! : Reply(await registry.CreateAsync(input, context.RequestAborted).ConfigureAwait(false), 201);
    }

    private static async Task<IResult> UpdateAsync(string id, WebhookRegistry registry, HttpContext context)
    {
        if (!long.TryParse(id, out var hookId) || hookId <= 0)
        {
            return ApiErrors.BadRequest(InvalidId);
        }
        var (input, error) = await ReadAsync(context).ConfigureAwait(false);
        return input is null ? error! : Reply(await registry.UpdateAsync(hookId, input, context.RequestAborted).ConfigureAwait(false), 200);
    }

    private static async Task<IResult> DeleteAsync(string id, WebhookRegistry registry, HttpContext context)
    {
        if (!long.TryParse(id, out var hookId) || hookId <= 0)
        {
            return ApiErrors.BadRequest(InvalidId);
        }
        return await registry.DeleteAsync(hookId, context.RequestAborted).ConfigureAwait(false)
            ? JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "Webhook deleted" })
            : ApiErrors.NotFound(NotFound);
    }

    private static async Task<IResult> TestAsync(string id, WebhookRegistry registry, HttpContext context)
    {
        if (!long.TryParse(id, out var hookId) || hookId <= 0)
        {
            return ApiErrors.BadRequest(InvalidId);
        }
        if (await registry.TestAsync(hookId, context.RequestAborted).ConfigureAwait(false) is not { } test)
        {
            return ApiErrors.NotFound(NotFound);
        }
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = test.Response.Delivered, ["status"] = test.Response.Status, ["error"] = test.Response.Error,
            ["duration_ms"] = test.DurationMs, ["delivery_id"] = test.DeliveryId,
        });
    }

    private static async Task<IResult> DeliveriesAsync(string id, int? limit, WebhookRegistry registry, HttpContext context)
    {
        if (!long.TryParse(id, out var hookId) || hookId <= 0)
        {
            return ApiErrors.BadRequest(InvalidId);
        }
        if (await registry.GetAsync(hookId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return ApiErrors.NotFound(NotFound);
        }
        var array = new JsonArray();
        foreach (var d in await registry.DeliveriesAsync(hookId, Math.Clamp(limit ?? 50, 1, MaxDeliveries), context.RequestAborted)
            .ConfigureAwait(false))
        {
            array.Add(WebhookJson.Delivery(d));
        }
        return JsonReply.Ok(new JsonObject { ["deliveries"] = array });
    }

    private static async Task<(WebhookInput? Input, IResult? Error)> ReadAsync(HttpContext context)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return (null, bodyError);
        }
        var (input, error) = WebhookRequest.Parse(body);
        return input is null ? (null, ApiErrors.BadRequest(error!)) : (input, null);
    }

    private static IResult Reply(WebhookResult result, int status) => result switch
    {
        { NotFound: true } => ApiErrors.NotFound(NotFound),
        { Problem: { } problem } => ApiErrors.BadRequest(problem),
        _ => JsonReply.Ok(WebhookJson.Hook(result.Hook!, 0), status),
    };
}
