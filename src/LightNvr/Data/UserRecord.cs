
namespace LightNvr.Data;

/// <summary>One row of <c>users</c>. Times are unix seconds. The API key is stored only as a hash.</summary>
public sealed record UserRecord
{
    public long Id { get; init; }
    public required string Username { get; init; }
    public string PasswordHash { get; init; } = "";
    public string Salt { get; init; } = "";
    public Role Role { get; init; } = Role.User;
    public string Email { get; init; } = "";
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long LastLogin { get; init; }
    public bool IsActive { get; init; } = true;
    public string? ApiKeyHash { get; init; }
    public bool PasswordChangeLocked { get; init; }
    public bool TotpEnabled { get; init; }
    /// <summary>Base32 TOTP secret; set by totp/setup, used once totp_enabled.</summary>
    public string? TotpSecret { get; init; }
    /// <summary>Comma-separated; null = every stream.</summary>
    public string? AllowedTags { get; init; }
    /// <summary>Newline-separated CIDRs or addresses; null = anywhere.</summary>
    public string? AllowedLoginCidrs { get; init; }

    internal static UserRecord Read(RowReader r) => new()
    {
        Id = r.Long("id"),
        Username = r.Text("username"),
        PasswordHash = r.Text("password_hash"),
        Salt = r.Text("salt"),
        Role = Enum.IsDefined((Role)r.Int("role", (int)Role.Viewer)) ? (Role)r.Int("role", (int)Role.Viewer) : Role.Viewer,
        Email = r.Text("email"),
        CreatedAt = r.Long("created_at"),
        UpdatedAt = r.Long("updated_at"),
        LastLogin = r.Long("last_login"),
        IsActive = r.Bool("is_active", true),
        ApiKeyHash = r.NullableText("api_key"),
        PasswordChangeLocked = r.Bool("password_change_locked"),
        TotpEnabled = r.Bool("totp_enabled"),
        TotpSecret = r.NullableText("totp_secret"),
        AllowedTags = r.NullableText("allowed_tags"),
        AllowedLoginCidrs = r.NullableText("allowed_login_cidrs"),
    };
}
