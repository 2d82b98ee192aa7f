using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// The certificate decisions of <see cref="CameraTlsOptions"/> (the interop test RtspsCameraTests checks them against
/// GStreamer's RTSP server over TLS): what .NET's own check accepts passes, everything else needs the CA file.
/// </summary>
public sealed class CameraTlsOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("camtls-").FullName;
    private readonly X509Certificate2 _camera = SelfSigned("camera");

    public void Dispose()
    {
        _camera.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Checking_off_accepts_anything_and_a_clean_system_check_passes()
    {
        Assert.True(Decide(new CameraTlsOptions { VerifyCertificate = false }, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch).Accepted);
        Assert.True(Decide(new CameraTlsOptions(), SslPolicyErrors.None).Accepted);
    }

    [Fact]
    public void An_untrusted_chain_is_refused_with_advice_unless_the_certificate_is_pinned()
    {
        var (accepted, why) = Decide(new CameraTlsOptions(), SslPolicyErrors.RemoteCertificateChainErrors);
        Assert.False(accepted);
        Assert.Contains("not trusted (self-signed or an unknown CA)", why, StringComparison.Ordinal);
        Assert.Contains("rtsps_verify_certificate = false", why, StringComparison.Ordinal);

        var pinned = Path.Combine(_folder, "camera.pem");
        File.WriteAllText(pinned, _camera.ExportCertificatePem());
        Assert.True(Decide(new CameraTlsOptions { CaFile = pinned }, SslPolicyErrors.RemoteCertificateChainErrors).Accepted);

        using var other = SelfSigned("other");
        var otherFile = Path.Combine(_folder, "other.pem");
        File.WriteAllText(otherFile, other.ExportCertificatePem());
        (accepted, why) = Decide(new CameraTlsOptions { CaFile = otherFile }, SslPolicyErrors.RemoteCertificateChainErrors);
        Assert.False(accepted);
        Assert.Contains("does not lead to a certificate in the CA file", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_mismatch_is_refused_even_when_pinned_and_a_bad_ca_file_refuses_everything()
    {
        var pinned = Path.Combine(_folder, "camera.pem");
        File.WriteAllText(pinned, _camera.ExportCertificatePem());
        var (accepted, why) = Decide(new CameraTlsOptions { CaFile = pinned },
            SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch);
        Assert.False(accepted);
        Assert.Contains("is not for this host name", why, StringComparison.Ordinal);

        (accepted, why) = Decide(new CameraTlsOptions { CaFile = Path.Combine(_folder, "missing.pem") }, SslPolicyErrors.RemoteCertificateChainErrors);
        Assert.False(accepted);
        Assert.Contains("cannot read", why, StringComparison.Ordinal);

        var empty = Path.Combine(_folder, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");
        (accepted, why) = Decide(new CameraTlsOptions { CaFile = empty }, SslPolicyErrors.RemoteCertificateChainErrors);
        Assert.False(accepted);
        Assert.Contains("no certificate in", why, StringComparison.Ordinal);
    }

    private (bool Accepted, string Why) Decide(CameraTlsOptions options, SslPolicyErrors errors)
    {
        var why = "";
        var accepted = options.CreateValidator(w => why = w)(this, _camera, null, errors);
        return (accepted, why);
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
