using System.Buffers.Binary;
using System.Security.Cryptography;
using LightNvr.IO;

namespace LightNvr.Auth;

/// <summary>
/// Time-based one-time passwords as authenticator apps make them: RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 30 s
/// steps, 6 digits, secrets in RFC 4648 Base32. A code is accepted for the current step and one step either side
/// (clock drift), and each step at most once per user (no replay within the window).
/// </summary>
public sealed class Totp(TimeProvider time)
{
    /// <summary>RFC 6238 §5.2 recommends a 30 s step; every authenticator app uses it.</summary>
    public const int StepSeconds = 30;
    public const int Digits = 6;
    /// <summary>Steps accepted either side of now (RFC 6238 §5.2: at most one step of network delay is advised).</summary>
    public const int MaxDriftSteps = 1;
    /// <summary>160-bit secrets, the HMAC-SHA1 block recommendation of RFC 4226 §4.</summary>
    public const int SecretBytes = 20;
    /// <summary>Users whose last accepted step is remembered (replay guard); older entries are dropped.</summary>
    public const int MaxRememberedUsers = 1024;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly Dictionary<long, long> _lastStep = [];
    private readonly Lock _lock = new();

    public static string NewSecret() => Base32(KernelRandom.GetBytes(SecretBytes));

    /// <summary>True when <paramref name="code"/> is valid now for the secret and its step was not used before by this user.</summary>
    public bool Verify(long userId, string base32Secret, string code)
    {
        code = code.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (code.Length != Digits || !code.All(char.IsAsciiDigit) || !TryBase32(base32Secret, out var key))
        {
            return false;
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        for (var step = now - MaxDriftSteps; step <= now + MaxDriftSteps; step++)
        {
            if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(key, step)),
                    System.Text.Encoding.ASCII.GetBytes(code)))
            {
                continue;
            }
            lock (_lock)
            {
                if (_lastStep.TryGetValue(userId, out var last) && step <= last)
                {
                    return false;
                }
                if (_lastStep.Count >= MaxRememberedUsers)
                {
                    _lastStep.Clear();
                }
                _lastStep[userId] = step;
            }
            return true;
        }
        return false;
    }

    /// <summary>The HOTP value for a counter (RFC 4226 §5.3, dynamic truncation), zero-padded to 6 digits.</summary>
    public static string Code(byte[] key, long counter)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, message, hash);
        var offset = hash[19] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string OtpauthUri(string issuer, string username, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(username)}?secret={secret}" +
        $"&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";

    public static string Base32(ReadOnlySpan<byte> data)
    {
        var chars = new System.Text.StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            chars.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return chars.ToString();
    }

    public static bool TryBase32(string text, out byte[] data)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            var v = Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                data = [];
                return false;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        data = [.. bytes];
        return data.Length > 0;
    }
}
