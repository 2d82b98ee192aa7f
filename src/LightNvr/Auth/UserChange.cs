using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// A change to a user (<see cref="UserAccounts.UpdateAsync"/>): a null field keeps the stored value; the Clear… flags
/// remove a restriction (the request's explicit JSON null); an empty password keeps the password.
/// </summary>
public sealed record UserChange(string? Username, string? Email, string? Password, Role? Role, bool? IsActive,
    string? AllowedTags, bool ClearAllowedTags, string? AllowedLoginCidrs, bool ClearAllowedLoginCidrs);
