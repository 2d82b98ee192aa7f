namespace LightNvr.Auth;

/// <summary>
/// Endpoint metadata: where a route finds the stream it names, so <see cref="StreamAccessMiddleware"/> can run the
/// one access check (<see cref="StreamAccess"/>) before the handler. Every mapped route carries one of these; the
/// authorization matrix test fails on a route without it.
/// </summary>
public sealed record StreamScope(StreamScopeKind Kind, string? Parameter = null, string? Note = null)
{
    /// <summary>The route names no stream (users, settings, system, ...).</summary>
    public static readonly StreamScope None = new(StreamScopeKind.None);

    /// <summary>A list: the handler returns only the streams (or their rows) the caller may access.</summary>
    public static StreamScope Filtered(string what) => new(StreamScopeKind.Filtered, Note: what);

    /// <summary>The stream is named by the route value <paramref name="name"/> (<c>/api/streams/{name}</c>).</summary>
    public static StreamScope Route(string name) => new(StreamScopeKind.Route, name);

    /// <summary>The stream is named by the query parameter <paramref name="name"/> (go2rtc's <c>?src=</c>).</summary>
    public static StreamScope Query(string name) => new(StreamScopeKind.Query, name);

    /// <summary>The handler finds the stream from something else (a recording id, an HLS session) and checks it with <see cref="StreamAccess"/>.</summary>
    public static StreamScope Resolved(string from) => new(StreamScopeKind.Resolved, Note: from);

    /// <summary>The stream name this request carries, when the scope says where it is; else null.</summary>
    public string? StreamName(HttpContext context) => Kind switch
    {
        StreamScopeKind.Route => context.Request.RouteValues.TryGetValue(Parameter!, out var v) ? v?.ToString() : null,
        StreamScopeKind.Query => context.Request.Query[Parameter!].ToString() is { Length: > 0 } q ? q : null, // absent: a list
        _ => null,
    };
}
