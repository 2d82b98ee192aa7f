using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>A user to create, as the request gave it (checked by <see cref="UserAccounts.CreateAsync"/>).</summary>
public sealed record NewUser(string? Username, string? Password, string Email, Role Role, bool IsActive,
    string? AllowedTags, string? AllowedLoginCidrs);
