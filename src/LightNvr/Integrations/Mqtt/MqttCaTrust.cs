using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// The broker certificate check when <c>[mqtt] ca_file</c> names our own CA: the chain must end at one of its
/// certificates (and only those: the system store is not consulted), and the name must match the broker host as
/// the TLS layer checked it. Revocation is not checked (a private CA rarely publishes a CRL).
/// </summary>
public sealed class MqttCaTrust(X509Certificate2Collection roots)
{
    public X509Certificate2Collection Roots => roots;

    /// <summary>Reads every certificate of a PEM file.</summary>
    public static MqttCaTrust Load(string pemFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemFile);
        if (roots.Count == 0)
        {
            throw new InvalidDataException($"{pemFile} holds no certificate");
        }
        return new MqttCaTrust(roots);
    }

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
