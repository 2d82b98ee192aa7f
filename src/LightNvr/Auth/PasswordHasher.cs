using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LightNvr.IO;

namespace LightNvr.Auth;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a random 16-byte salt per user. users.password_hash holds
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 hash&gt;</c> and users.salt the base64 salt (upstream's two columns), so
/// a hash made with fewer iterations still verifies and is flagged for rehashing at the next login. Rows written by
/// upstream LightNVR (db_auth.c: PBKDF2-HMAC-SHA256, <see cref="UpstreamIterations"/> iterations, a 16-byte salt, both
/// stored as lowercase hex) verify too and are rehashed into this format at the next login, so users brought over by
/// <c>lightnvr import</c> keep their passwords.
/// </summary>
public sealed class PasswordHasher(PasswordHashingOptions options)
{
    public const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    /// <summary>Refuse absurd iteration counts read from a tampered row (10x the OWASP figure).</summary>
    private const int MaxIterations = 6_000_000;

    /// <summary>Upstream's fixed iteration count (db_auth.c hash_password).</summary>
    public const int UpstreamIterations = 10_000;

    public int Iterations => options.Iterations;

    public (string Hash, string Salt) Hash(string password)
    {
        var salt = KernelRandom.GetBytes(SaltBytes);
        var hash = Derive(password, salt, options.Iterations);
        return ($"{Scheme}${options.Iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(hash)}",
            Convert.ToBase64String(salt));
    }

    /// <summary>Checks a password; <paramref name="needsRehash"/> is true when it matched with other parameters than today's.</summary>
    public bool Verify(string password, string storedHash, string storedSalt, out bool needsRehash)
    {
        needsRehash = false;
        if (IsUpstreamHash(storedHash, storedSalt))
        {
            var matched = CryptographicOperations.FixedTimeEquals(
                Derive(password, Convert.FromHexString(storedSalt), UpstreamIterations), Convert.FromHexString(storedHash));
            needsRehash = matched;
            return matched;
        }

        var parts = storedHash.Split('$');
        if (parts.Length != 3 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1 || iterations > MaxIterations)
        {
            return false;
        }

        byte[] expected, salt;
        try
        {
            expected = Convert.FromBase64String(parts[2]);
            salt = Convert.FromBase64String(storedSalt);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Derive(password, salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return false;
        }
        needsRehash = iterations != options.Iterations || expected.Length != HashBytes;
        return true;
    }

    /// <summary>Upstream's row shape: 64 hex digits of hash and 32 of salt, no scheme prefix.</summary>
    public static bool IsUpstreamHash(string storedHash, string storedSalt) =>
        storedHash.Length == HashBytes * 2 && storedSalt.Length == SaltBytes * 2
        && storedHash.All(char.IsAsciiHexDigit) && storedSalt.All(char.IsAsciiHexDigit);

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
