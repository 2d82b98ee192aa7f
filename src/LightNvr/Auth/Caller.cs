using System.Globalization;
using System.Security.Claims;
using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>Who is making a request, read back from the claims the authentication handler issued.</summary>
public sealed record Caller(long UserId, string Username, Role Role, string Source, long? SessionId, string? AllowedTags)
{
    public const string UserIdClaim = "lightnvr:user_id";
    public const string SourceClaim = "lightnvr:source";
    public const string SessionIdClaim = "lightnvr:session_id";
    public const string AllowedTagsClaim = "lightnvr:allowed_tags";

    /// <summary>Values of <see cref="Source"/>.</summary>
    public const string FromSession = "session", FromBasic = "basic", FromApiKey = "api_key", FromAuthDisabled = "auth_disabled",
        FromDemo = "demo";

    public bool IsAdmin => Role == Role.Admin;
    public bool IsDemo => Source == FromDemo;
    /// <summary>Upstream's "sensitive config exposed": every role but viewer.</summary>
    public bool SeesSecrets => Role != Role.Viewer;

    public static string RoleName(Role role) => role switch
    {
        Role.Admin => "admin",
        Role.User => "user",
        Role.Viewer => "viewer",
        Role.Api => "api",
        _ => "viewer",
    };

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, Username),
            new(ClaimTypes.NameIdentifier, UserId.ToString(CultureInfo.InvariantCulture)),
            new(UserIdClaim, UserId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, RoleName(Role)),
            new(SourceClaim, Source),
        };
        if (SessionId is { } id)
        {
            claims.Add(new Claim(SessionIdClaim, id.ToString(CultureInfo.InvariantCulture)));
        }
        if (AllowedTags is not null)
        {
            claims.Add(new Claim(AllowedTagsClaim, AllowedTags));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The caller of an authenticated request, or null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var role = principal.FindFirstValue(ClaimTypes.Role) switch
        {
            "admin" => Role.Admin,
            "user" => Role.User,
            "api" => Role.Api,
            _ => Role.Viewer,
        };
        long.TryParse(principal.FindFirstValue(UserIdClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId);
        long? sessionId = long.TryParse(principal.FindFirstValue(SessionIdClaim), NumberStyles.Integer, CultureInfo.InvariantCulture,
            out var sid) ? sid : null;
        return new Caller(userId, principal.Identity.Name ?? "", role, principal.FindFirstValue(SourceClaim) ?? "", sessionId,
            principal.FindFirstValue(AllowedTagsClaim));
    }

    /// <summary>Tag-based access (upstream allowed_tags): null means every stream; else the stream's tags must intersect.</summary>
    public bool MayAccessStream(string streamTags)
    {
        if (AllowedTags is null)
        {
            return true;
        }
        var allowed = AllowedTags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var tags = streamTags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return tags.Any(t => allowed.Contains(t, StringComparer.OrdinalIgnoreCase));
    }
}
