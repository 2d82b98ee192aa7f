namespace LightNvr.Config;

/// <summary>
/// What a username may be, in one place: the user API (<c>Auth.UserAccounts</c>) and the config check of
/// <c>[web] username</c> (the first admin's name) both use it, so the config cannot make a user the API would refuse.
/// </summary>
public static class UsernameRule
{
    public const int MinLength = 3;
    /// <summary>Upstream's limit (users.username 3–32 characters).</summary>
    public const int MaxLength = 32;

    /// <summary>Checks a username's length and characters (no ':' — it would break Basic — and no control characters).</summary>
    public static string? Problem(string username) =>
        username.Length is < MinLength or > MaxLength ? "Username must be between 3 and 32 characters"
        : username.Any(c => c == ':' || char.IsControl(c)) ? "Username must not contain ':' or control characters"
        : null;
}
