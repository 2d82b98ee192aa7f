using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// How a camera's TLS certificate is checked (<c>rtsps://</c> cameras, RFC 7826 §19.2, and HTTPS snapshot cameras).
/// By default as a browser does: the chain must lead to a root the system trusts and the certificate must name the
/// host of the URL (RFC 6125). <see cref="CaFile"/> adds trusted roots or pinned certificates (PEM, one or more): a
/// camera's own self-signed certificate listed there is accepted, for its host name only. With
/// <see cref="VerifyCertificate"/> false any certificate is accepted (the connection is encrypted but not
/// authenticated: anyone on the path can read it).
/// </summary>
public sealed record CameraTlsOptions
{
    public bool VerifyCertificate { get; init; } = true;

    /// <summary>A PEM file of CA or camera certificates to trust besides the system's; empty = the system's only.</summary>
    public string CaFile { get; init; } = "";

    /// <summary>
    /// A validation callback for <see cref="SslStream"/> or an HTTP handler; <paramref name="refused"/> receives why a
    /// certificate was refused (in words a user can act on). A CA file that cannot be read refuses every certificate.
    /// </summary>
    public RemoteCertificateValidationCallback CreateValidator(Action<string> refused)
    {
        if (!VerifyCertificate)
        {
            return (_, _, _, _) => true;
        }

        X509Certificate2Collection? trusted = null;
        string? caError = null;
        if (CaFile.Length > 0)
        {
            try
            {
                trusted = [];
                trusted.ImportFromPemFile(CaFile);
                if (trusted.Count == 0)
                {
                    caError = $"no certificate in {CaFile}";
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                caError = $"cannot read {CaFile}: {e.Message}";
            }
        }

        return (_, certificate, _, errors) =>
        {
            var why = Check(certificate, errors, trusted, caError);
            if (why is not null)
            {
                refused(why);
            }

            return why is null;
        };
    }

    private const string Advice = "add the camera's certificate (or its CA) to [go2rtc] rtsps_ca_file, or set rtsps_verify_certificate = false";

    /// <summary>Null when the certificate is accepted, else why not.</summary>
    private static string? Check(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? trusted, string? caError)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the camera sent no TLS certificate";
        }

        using var leaf = new X509Certificate2(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the camera's TLS certificate ({leaf.Subject}) is not for this host name";
        }

        if (caError is not null)
        {
            return $"TLS certificate refused: {caError}";
        }

        if (trusted is null)
        {
            return $"the camera's TLS certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted (self-signed or an unknown CA): {Advice}";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // cameras on a LAN: no CRL/OCSP reachable
        if (chain.Build(leaf))
        {
            return null;
        }

        var status = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
        return $"the camera's TLS certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not lead to a certificate in the CA file ({status}): {Advice}";
    }
}
