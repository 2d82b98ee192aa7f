namespace LightNvr.Auth;

/// <summary>How a route relates to streams; see <see cref="StreamScope"/>.</summary>
public enum StreamScopeKind
{
    None,
    Filtered,
    Route,
    Query,
    Resolved,
}
