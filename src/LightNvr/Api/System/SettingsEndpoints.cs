using System.Text.Json;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Config;
using Microsoft.AspNetCore.Authorization;

namespace LightNvr.Api.System;

/// <summary>
/// <c>GET /api/settings</c> (any signed-in role; secrets masked, paths hidden from non-admins) and
/// <c>POST /api/settings</c> (admin; partial update written back to the INI file). Upstream §8. Also
/// <c>GET /api/settings/schema</c> (any signed-in role): per key when a change applies and whether it does anything yet.
/// </summary>
public static class SettingsEndpoints
{
    /// <summary>The whole settings object is about 4 KB; anything far larger is not a settings update.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/settings", async (HttpContext context, SettingsService settings, IAuthorizationService authz) =>
        {
            var isAdmin = (await authz.AuthorizeAsync(context.User, Policies.Admin)).Succeeded;
            return Results.Bytes(settings.BuildJson(isAdmin), "application/json");
        }).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);

        // What each key does and when it applies (no values), so the settings page can mark "restart" and
        // "stored, no effect yet" next to a field instead of letting a setting pretend to work.
        app.MapGet("/api/settings/schema", () => Results.Bytes(SettingsService.BuildSchemaJson(), "application/json"))
            .RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);

        app.MapPost("/api/settings", async (HttpRequest request, SettingsService settings) =>
        {
            // Bounded while reading: a chunked body has no Content-Length to check up front.
            var (body, error) = await RequestBody.ReadBytesAsync(request, MaxBodyBytes);
            if (body is null)
            {
                return error!;
            }

            var result = settings.Apply(body);
            return result.Error is not null ? ApiErrors.Status(result.Status, result.Error) : Results.Bytes(Ok(result), "application/json");
        }).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        return app;
    }

    private static byte[] Ok(SettingsUpdate result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteBoolean("restart_required", result.RestartRequired);
            if (result.RestartRequired)
            {
                w.WriteString("restart_required_message", "Some changes take effect after a restart: " + string.Join(", ", result.Changed));
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
