using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LightNvr.Media.WebRtc;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// The server's DTLS certificate for WebRTC (RFC 8827 §6.5: a self-signed certificate whose fingerprint the SDP
/// carries, RFC 8122): ECDSA P-256, created once and kept in <c>webrtc-dtls.pem</c> beside the database (owner-only
/// permissions), so the fingerprint stays the same across restarts.
/// </summary>
public sealed class DtlsIdentity
{
    public const string FileName = "webrtc-dtls.pem";

    /// <summary>Validity of a new certificate: browsers do not check it for WebRTC; ten years means never renewing.</summary>
    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    private DtlsIdentity(byte[] certificateDer, byte[] pkcs8)
    {
        CertificateDer = certificateDer;
        PrivateKey = PrivateKeyFactory.CreateKey(pkcs8);
        Fingerprint = WebRtcAnswerBuilder.FormatFingerprint(SHA256.HashData(certificateDer));
    }

    public byte[] CertificateDer { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary><c>sha-256 AB:CD:…</c> for <c>a=fingerprint</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>Loads the certificate from <paramref name="folder"/>, creating it when absent or unreadable.</summary>
    public static DtlsIdentity LoadOrCreate(string folder, TimeProvider time)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path) && TryLoad(File.ReadAllText(path)) is { } loaded)
        {
            return loaded;
        }

        var (identity, pem) = Create(time);
        Directory.CreateDirectory(folder);
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temp, pem);
        File.Move(temp, path, overwrite: true);
        return identity;
    }

    /// <summary>A new self-signed ECDSA P-256 identity kept in memory only (a DTLS client's, in warm-up and tests).</summary>
    public static DtlsIdentity CreateEphemeral(TimeProvider time) => Create(time).Identity;

    private static (DtlsIdentity Identity, string Pem) Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=LightNVR WebRTC", key, HashAlgorithmName.SHA256);
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + Validity);
        var pem = certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
        return (new DtlsIdentity(certificate.RawData, key.ExportPkcs8PrivateKey()), pem);
    }

    private static DtlsIdentity? TryLoad(string pem)
    {
        byte[]? der = null;
        byte[]? pkcs8 = null;
        var text = pem.AsSpan();
        while (PemEncoding.TryFind(text, out var fields))
        {
            var label = text[fields.Label];
            var data = Convert.FromBase64String(text[fields.Base64Data].ToString());
            if (label.SequenceEqual("CERTIFICATE"))
            {
                der = data;
            }
            else if (label.SequenceEqual("PRIVATE KEY"))
            {
                pkcs8 = data;
            }

            text = text[fields.Location.End..];
        }

        try
        {
            return der is not null && pkcs8 is not null ? new DtlsIdentity(der, pkcs8) : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
