using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Users;

/// <summary>GET/DELETE /api/auth/trusted-devices: the caller's own remembered devices (lightnvr-api.md §1).</summary>
public static class TrustedDeviceEndpoints
{
    public static IEndpointRouteBuilder MapTrustedDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/auth/trusted-devices", ListAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
        app.MapDelete("/api/auth/trusted-devices/{id}", DeleteAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.None);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, TrustedDeviceStore store, TimeProvider time)
    {
        var caller = Caller.From(context.User)!;
        var current = context.Request.Cookies.TryGetValue(TrustedDevices.CookieName, out var cookie) && !string.IsNullOrEmpty(cookie)
            ? SecretTokens.Hash(cookie) : null;
        var list = new JsonArray();
        foreach (var d in await store.ListForUserAsync(caller.UserId, time.GetUtcNow().ToUnixTimeSeconds(), context.RequestAborted)
                     .ConfigureAwait(false))
        {
            list.Add(new JsonObject
            {
                ["id"] = d.Id, ["created_at"] = d.CreatedAt, ["last_used_at"] = d.LastUsedAt, ["expires_at"] = d.ExpiresAt,
                ["ip_address"] = d.IpAddress, ["user_agent"] = d.UserAgent, ["current"] = d.TokenHash == current,
            });
        }
        return JsonReply.Ok(new JsonObject { ["trusted_devices"] = list });
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, TrustedDeviceStore store)
    {
        var caller = Caller.From(context.User)!;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId) || deviceId <= 0
            || !await store.DeleteOwnAsync(deviceId, caller.UserId, context.RequestAborted).ConfigureAwait(false))
        {
            return ApiErrors.NotFound("Trusted device not found");
        }
        return JsonReply.Success();
    }
}
