using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Users;

/// <summary>
/// Reads a user object from a request body (<c>POST/PUT /api/auth/users</c>) into the <see cref="UserAccounts"/>
/// inputs; the field errors stay in <see cref="RequestFields.Error"/> (a bad role reads "Invalid role", as upstream).
/// </summary>
public static class UserRequest
{
    /// <summary>Longest e-mail address (RFC 5321 §4.5.3.1.3 path limit).</summary>
    public const int MaxEmailLength = 254;
    /// <summary>Longest allowed_tags / allowed_login_cidrs text.</summary>
    public const int MaxListLength = 4096;
    /// <summary>The user JSON's role range (<see cref="Role"/>: admin 0 … api 3).</summary>
    private const int MaxRole = 3;

    /// <summary>Fields only an admin may name in an update (even as null: null clears a restriction).</summary>
    public static readonly string[] AdminOnlyFields = ["password", "role", "is_active", "allowed_tags", "allowed_login_cidrs"];

    public static NewUser ReadNew(RequestFields f)
    {
        var username = f.String("username");
        var password = f.String("password");
        var email = f.String("email", MaxEmailLength) ?? "";
        var role = f.Has("role") ? f.Int("role", 0, MaxRole) : (int)Role.User;
        return new NewUser(username, password, email, (Role)(role ?? 0), f.Bool("is_active") ?? true,
            f.String("allowed_tags", MaxListLength), f.String("allowed_login_cidrs", MaxListLength));
    }

    public static UserChange ReadChange(RequestFields f)
    {
        var username = f.String("username");
        var email = f.String("email", MaxEmailLength);
        var password = f.String("password");
        var role = f.Int("role", 0, MaxRole);
        var isActive = f.Bool("is_active");
        var clearTags = f.IsExplicitNull("allowed_tags");
        var tags = clearTags ? null : f.String("allowed_tags", MaxListLength);
        var clearCidrs = f.IsExplicitNull("allowed_login_cidrs");
        var cidrs = clearCidrs ? null : f.String("allowed_login_cidrs", MaxListLength);
        return new UserChange(username, email, password, role is { } r ? (Role)r : null, isActive, tags, clearTags, cidrs, clearCidrs);
    }

    /// <summary>The field error to report, if any: a bad role is "Invalid role" (upstream's message).</summary>
    public static string? Error(RequestFields f) =>
        f.Error is { } e && e.StartsWith("Field 'role'", StringComparison.Ordinal) ? "Invalid role" : f.Error;
}
