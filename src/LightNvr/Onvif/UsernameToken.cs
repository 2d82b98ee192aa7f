using System.Security.Cryptography;
using System.Text;
using LightNvr.IO;

namespace LightNvr.Onvif;

/// <summary>
/// WS-Security UsernameToken with PasswordDigest (OASIS Web Services Security UsernameToken Profile 1.0 §3.1; ONVIF
/// Core §5.9.4.3): <c>Base64(SHA-1(nonce + created + password))</c>. <see cref="Created"/> is in the camera's clock
/// (our clock plus the offset read from <c>GetSystemDateAndTime</c>), since cameras refuse a token whose time is far
/// from theirs and wrong camera clocks are the norm.
/// </summary>
public sealed record UsernameToken(string Username, string Nonce, string Created, string Digest)
{
    /// <summary>Nonce length: 16 random bytes, as gSOAP's wsse plugin and most clients send.</summary>
    public const int NonceBytes = 16;

    public static UsernameToken Create(string username, string password, DateTimeOffset cameraNow)
    {
        var nonce = KernelRandom.GetBytes(NonceBytes);
        return Create(username, password, cameraNow, nonce);
    }

    public static UsernameToken Create(string username, string password, DateTimeOffset cameraNow, byte[] nonce)
    {
        var created = cameraNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return new UsernameToken(username, Convert.ToBase64String(nonce), created, ComputeDigest(nonce, created, password));
    }

    /// <summary>Base64(SHA-1(nonce bytes + UTF-8 created + UTF-8 password)).</summary>
    public static string ComputeDigest(byte[] nonce, string created, string password)
    {
        var createdBytes = Encoding.UTF8.GetBytes(created);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var input = new byte[nonce.Length + createdBytes.Length + passwordBytes.Length];
        nonce.CopyTo(input, 0);
        createdBytes.CopyTo(input, nonce.Length);
        passwordBytes.CopyTo(input, nonce.Length + createdBytes.Length);
        return Convert.ToBase64String(SHA1.HashData(input));
    }
}
