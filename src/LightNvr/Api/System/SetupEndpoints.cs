using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Storage;

namespace LightNvr.Api.System;

/// <summary>
/// The first-start wizard's API, upstream's <c>/api/setup/status</c> (lightnvr-api.md "Setup wizard"; the flag is
/// upstream's <c>system_settings.setup_complete</c> and <c>setup_completed_at</c>). <c>GET</c> is anonymous as upstream
/// (the page asks before anything else; it says only whether setup is done), and an admin also gets the checks the
/// page shows: the storage path (exists, writable, free space) and how many cameras there are. <c>POST</c> marks it
/// done (<c>{"complete":true}</c>, the default) or shows the wizard again (<c>false</c>): admin only here (upstream let
/// anyone). A database that has cameras but no flag (an install from before the wizard) counts as set up.
/// </summary>
public static class SetupEndpoints
{
    public const string CompleteKey = "setup_complete";
    public const string CompletedAtKey = "setup_completed_at";

    public static IEndpointRouteBuilder MapSetupEndpoints(this IEndpointRouteBuilder app)
    {
        var setup = app.MapGroup("/api/setup").WithMetadata(StreamScope.None);
        setup.MapGet("/status", StatusAsync).AllowAnonymous();
        setup.MapPost("/status", MarkAsync).RequireAuthorization(Policies.Admin).WithMetadata(AuthMessages.AdminOnly);
        return app;
    }

    private static async Task<IResult> StatusAsync(HttpContext context, SettingsStore settings, StreamStore streams,
        ConfigSnapshots config, CancellationToken ct)
    {
        var cameras = (await streams.ListAsync(ct).ConfigureAwait(false)).Count;
        var flag = await settings.GetAsync(CompleteKey, ct).ConfigureAwait(false);
        var body = new JsonObject
        {
            ["complete"] = flag is null ? cameras > 0 : flag == "1",
            ["setup_completed_at"] = long.TryParse(await settings.GetAsync(CompletedAtKey, ct).ConfigureAwait(false),
                NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? at : 0,
        };
        if (Caller.From(context.User) is { IsAdmin: true })
        {
            var storage = StoragePathCheck.Run(config.Current.Storage.Path);
            body["checks"] = new JsonObject
            {
                ["storage"] = new JsonObject
                {
                    ["path"] = storage.Path, ["exists"] = storage.Exists, ["writable"] = storage.Writable,
                    ["free_bytes"] = storage.FreeBytes, ["total_bytes"] = storage.TotalBytes, ["problem"] = storage.Problem,
                },
                ["streams"] = cameras,
            };
        }
        return JsonReply.Ok(body);
    }

    private static async Task<IResult> MarkAsync(HttpContext context, SettingsStore settings, TimeProvider time, CancellationToken ct)
    {
        var complete = true;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }
            if (body["complete"] is { } value)
            {
                if (value is not JsonValue v || !v.TryGetValue<bool>(out complete))
                {
                    return ApiErrors.BadRequest("Field 'complete' must be true or false");
                }
            }
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await settings.SetAsync(CompleteKey, complete ? "1" : "0", ct).ConfigureAwait(false);
        if (complete)
        {
            await settings.SetAsync(CompletedAtKey, now.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["complete"] = complete, ["setup_completed_at"] = complete ? now : 0 });
    }
}
