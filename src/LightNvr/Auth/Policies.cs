namespace LightNvr.Auth;

/// <summary>
/// Authorization policy names. Every endpoint names exactly one of these (or <c>AllowAnonymous</c> for the few
/// public ones: health, login, login config, system status), so a reviewer sees its role requirement at a glance.
/// </summary>
public static class Policies
{
    /// <summary>Role admin.</summary>
    public const string Admin = "admin";

    /// <summary>Any role but viewer: admin, user, api. Changes cameras, triggers, recordings.</summary>
    public const string Operator = "operator";

    /// <summary>Any authenticated user, viewer included (and the anonymous demo viewer when <c>demo_mode</c> is on).</summary>
    public const string Viewer = "viewer";
}
