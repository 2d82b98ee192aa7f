namespace LightNvr.Auth;

/// <summary>PBKDF2 strength. Production uses the default; tests lower it so a login does not cost half a second.</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>OWASP Password Storage Cheat Sheet (2023+): PBKDF2-HMAC-SHA256 with 600,000 iterations.</summary>
    public const int DefaultIterations = 600_000;

    public int Iterations { get; set; } = DefaultIterations;
}
