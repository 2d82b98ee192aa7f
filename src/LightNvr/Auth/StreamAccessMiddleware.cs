namespace LightNvr.Auth;

/// <summary>
/// Runs <see cref="StreamAccess"/> for every endpoint whose <see cref="StreamScope"/> names the stream in its route or
/// query, after authentication and authorization and before the handler (so before a WebSocket upgrade too): a
/// restricted caller asking for another stream gets 403 "Stream access denied" and the handler never runs.
/// <see cref="StreamAccess"/> (a singleton) comes through the constructor: an <c>InvokeAsync</c> with more parameters
/// than the context makes ASP.NET Core compile an expression tree at start-up (System.Linq.Expressions, about 10 MB
/// of idle RSS with the JIT work it brings; docs/BENCHMARKS.md "Idle memory").
/// </summary>
public sealed class StreamAccessMiddleware(RequestDelegate next, StreamAccess access)
{
    private const string DeniedJson = "{\"error\":\"" + StreamAccess.Denied + "\"}";

    public async Task InvokeAsync(HttpContext context)
    {
        var scope = context.GetEndpoint()?.Metadata.GetMetadata<StreamScope>();
        if (scope?.StreamName(context) is { } name && !await access.MayAccessAsync(context, name).ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(DeniedJson, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }
}
