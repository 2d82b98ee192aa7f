using System.Security.Cryptography;
using System.Text;
using LightNvr.IO;

namespace LightNvr.Auth;

/// <summary>Random bearer secrets (session cookies, API keys) and the SHA-256 form in which the database keeps them.</summary>
public static class SecretTokens
{
    /// <summary>Session cookie length: 40 alphanumerics ≈ 238 bits (upstream uses 32).</summary>
    public const int SessionTokenLength = 40;
    /// <summary>API key length: upstream's 32 alphanumerics ≈ 190 bits.</summary>
    public const int ApiKeyLength = 32;
    /// <summary>Generated first-admin password: 20 alphanumerics ≈ 119 bits.</summary>
    public const int GeneratedPasswordLength = 20;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(int length) => KernelRandom.GetString(Alphabet, length);

    /// <summary>Lower-case hex SHA-256 of the token: what sessions.token and users.api_key store.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
