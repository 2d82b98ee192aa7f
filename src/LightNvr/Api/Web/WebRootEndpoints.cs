using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Config;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace LightNvr.Api.Web;

/// <summary>
/// The built front end from <c>[web] root</c> (default: <c>www</c> beside the executable): files as they are, the SPA's
/// index.html for any other non-API GET path, precompressed <c>.br</c>/<c>.gz</c> siblings when the client accepts
/// them, index.html never cached and hashed files under /assets/ cached for a year. Without a built UI, / and /login
/// answer a small page saying so. Map this last: it is the catch-all.
/// </summary>
public static class WebRootEndpoints
{
    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private const string NoCache = "no-cache";

    /// <summary>Upstream's cache lifetime for other static files (one day).</summary>
    private const string DefaultCache = "public, max-age=86400";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static string ResolveRoot(WebOptions web) =>
        web.Root.Length > 0 ? web.Root : Path.Combine(AppContext.BaseDirectory, "www");

    public static IEndpointRouteBuilder MapWebRoot(this IEndpointRouteBuilder app)
    {
        var root = Path.GetFullPath(ResolveRoot(app.ServiceProvider.GetRequiredService<ConfigSection<WebOptions>>().Current));
        // Plain RequestDelegates: the Request Delegate Generator's versions of these two lambdas answered every page with
        // 404 (the catch-all and the fallback; ServerProcessTests caught it), and these need no parameter binding.
        // Every other route, so a wrong method on an existing path is 405 with Allow, not the catch-all's 404.
        var methods = new AllowedMethods(new CompositeEndpointDataSource(app.DataSources),
            app.ServiceProvider.GetRequiredService<IInlineConstraintResolver>());
        RequestDelegate serve = context =>
            (methods.Refusal(context) ?? Serve(context, root, context.GetRouteValue("path") as string ?? "")).ExecuteAsync(context);
        RequestDelegate notFound = context => (methods.Refusal(context) ?? NotMapped(context)).ExecuteAsync(context);
        app.MapMethods("/{**path}", ["GET", "HEAD"], serve).AllowAnonymous().WithMetadata(StreamScope.None);
        // Every path, files included (the default fallback pattern {*path:nonfile} leaves /x.m4s to routing's bare 404).
        app.MapFallback("/{**path}", notFound).AllowAnonymous().WithMetadata(StreamScope.None);
        return app;
    }

    private static IResult ApiErrorsNotFound() => ApiErrors.NotFound();

    /// <summary>
    /// The fallback: a method nothing maps. Under /api and /go2rtc a path no route has is 404; any other path is the web
    /// root's, which answers only GET and HEAD.
    /// </summary>
    private static IResult NotMapped(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments("/api") || path.StartsWithSegments("/go2rtc")
            ? ApiErrorsNotFound()
            : AllowedMethods.MethodNotAllowed(context, AllowedMethods.WebRootMethods);
    }

    private static IResult Serve(HttpContext context, string root, string path)
    {
        if (path.StartsWith("api/", StringComparison.Ordinal) || path == "api" || path.StartsWith("go2rtc/", StringComparison.Ordinal))
        {
            return ApiErrorsNotFound();
        }

        if (!Directory.Exists(root))
        {
            return path is "" or "login" or "index.html" or "login.html"
                ? Results.Content(PlaceholderPage.Html, "text/html; charset=utf-8")
                : ApiErrorsNotFound();
        }

        if (FileFor(root, path) is not { } file)
        {
            return ApiErrorsNotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = file.EndsWith(".html", StringComparison.Ordinal) ? NoCache
            : path.StartsWith("assets/", StringComparison.Ordinal) ? ImmutableCache
            : DefaultCache;
        var contentType = ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream";
        var served = Precompressed(context, file, headers);
        return Results.File(served, contentType, enableRangeProcessing: served == file,
            lastModified: File.GetLastWriteTimeUtc(served));
    }

    /// <summary>
    /// The file <paramref name="path"/> names inside <paramref name="root"/>; unknown paths without an extension (or
    /// .html) are SPA routes and get index.html; null for a missing asset or a path outside the root (404).
    /// </summary>
    private static string? FileFor(string root, string path)
    {
        var file = Path.GetFullPath(Path.Combine(root, path));
        if (file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(file))
        {
            return file;
        }
        if (Path.HasExtension(path) && !path.EndsWith(".html", StringComparison.Ordinal))
        {
            return null;
        }
        var index = Path.Combine(root, "index.html");
        return File.Exists(index) ? index : null;
    }

    /// <summary>The .br or .gz sibling when the client accepts it (and sets Content-Encoding), else the file itself.</summary>
    private static string Precompressed(HttpContext context, string file, IHeaderDictionary headers)
    {
        var accept = context.Request.Headers.AcceptEncoding.ToString();
        foreach (var (ext, encoding) in new[] { (".br", "br"), (".gz", "gzip") })
        {
            if (accept.Contains(encoding, StringComparison.OrdinalIgnoreCase) && File.Exists(file + ext))
            {
                headers.ContentEncoding = encoding;
                headers.Append(HeaderNames.Vary, "Accept-Encoding");
                return file + ext;
            }
        }

        return file;
    }
}
