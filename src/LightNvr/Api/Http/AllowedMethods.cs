using LightNvr.Json;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace LightNvr.Api.Http;

/// <summary>
/// "Wrong method on an existing path" (RFC 9110 §15.5.6): the methods the mapped routes accept for a path, so the
/// catch-alls can answer <c>405 Method Not Allowed</c> with <c>Allow</c> instead of 404. ASP.NET Core's routing
/// produces 405 by itself only when no other endpoint matches, and the web root's catch-all and fallback match every
/// path. The route table is read once, on first use (routes do not change after start); each route's pattern is
/// matched with its inline constraints (<c>{id:long}</c>), so <c>/api/recordings/tags</c> is not taken for
/// <c>/api/recordings/{id:long}</c>. Catch-all routes (<c>{**path}</c>, <c>{*path}</c>) are not in the table.
/// </summary>
public sealed class AllowedMethods(EndpointDataSource endpoints, IInlineConstraintResolver constraints)
{
    /// <summary>What the web root answers on any non-API path.</summary>
    public static readonly string[] WebRootMethods = ["GET", "HEAD"];

    private readonly Lazy<Route[]> _routes = new(() => Build(endpoints, constraints));

    /// <summary>The methods some route accepts for <paramref name="path"/>, sorted; empty when no route has the path.</summary>
    public IReadOnlyList<string> For(PathString path)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in _routes.Value)
        {
            var values = new RouteValueDictionary();
            if (route.Matcher.TryMatch(path, values) && route.Constraints.All(c => c.Constraint.Match(null, null, c.Name, values,
                    RouteDirection.IncomingRequest)))
            {
                methods.UnionWith(route.Methods);
            }
        }
        return [.. methods];
    }

    /// <summary>
    /// 405 with <c>Allow</c> when a route has the path under another method; null when no route has it (the caller's
    /// own answer stands, usually 404).
    /// </summary>
    public IResult? Refusal(HttpContext context)
    {
        var allowed = For(context.Request.Path);
        return allowed.Count == 0 || allowed.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
            ? null
            : MethodNotAllowed(context, allowed);
    }

    public static IResult MethodNotAllowed(HttpContext context, IReadOnlyList<string> allowed)
    {
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return Results.Json(new ErrorBody("Method Not Allowed"), statusCode: StatusCodes.Status405MethodNotAllowed);
    }

    private static Route[] Build(EndpointDataSource endpoints, IInlineConstraintResolver resolver)
    {
        var routes = new List<Route>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } methods
                || pattern.Parameters.Any(p => p.IsCatchAll))
            {
                continue;
            }
            var defaults = new RouteValueDictionary(pattern.Defaults);
            var matcher = new TemplateMatcher(new RouteTemplate(pattern), defaults);
            var checks = new List<(string, IRouteConstraint)>();
            foreach (var parameter in pattern.Parameters)
            {
                foreach (var policy in parameter.ParameterPolicies)
                {
                    var constraint = policy.ParameterPolicy as IRouteConstraint
                        ?? (policy.Content is { } text ? resolver.ResolveConstraint(text) : null);
                    if (constraint is not null)
                    {
                        checks.Add((parameter.Name, constraint));
                    }
                }
            }
            routes.Add(new Route(matcher, [.. checks], [.. methods.HttpMethods]));
        }
        return [.. routes];
    }

    private sealed record Route(TemplateMatcher Matcher, (string Name, IRouteConstraint Constraint)[] Constraints, string[] Methods);
}
