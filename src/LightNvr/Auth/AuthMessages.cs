namespace LightNvr.Auth;

/// <summary>
/// Endpoint metadata: the upstream error messages for a refused request (401 when no valid credentials, 403 when the
/// role does not suffice). Read by the authentication handler's challenge and forbid responses.
/// </summary>
public sealed record AuthMessages(string Unauthorized, string Forbidden)
{
    public static AuthMessages Default { get; } = new("Unauthorized", "Forbidden");
    public static AuthMessages AdminOnly { get; } = new("Unauthorized: Authentication required", "Forbidden: Admin privileges required");
    public static AuthMessages StreamWrite { get; } = new("Unauthorized", "Viewer role cannot modify streams");
    /// <summary>PTZ moves, imaging and day/night writes (upstream has no auth there; issue 16: operators only).</summary>
    public static AuthMessages CameraControl { get; } = new("Unauthorized", "Viewer role cannot control cameras");
    public static AuthMessages RecordingControl { get; } = new("Unauthorized", "Viewer role cannot control recordings");
}
