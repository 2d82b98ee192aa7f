using System.Security.Cryptography;
using LightNvr.Media.WebRtc;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// The DTLS 1.2 client side of DTLS-SRTP (RFC 5764), as a browser plays it: ECDHE-ECDSA, <c>use_srtp</c>
/// with the given profiles (AES-CM alone by default), a self-signed ECDSA client certificate, and the server certificate's SHA-256 checked
/// against <paramref name="expectedServerFingerprint"/> when given. Used to warm the server's DTLS code up at start
/// (<see cref="WebRtcWarmup"/>) and by tests that play a misbehaving peer (a certificate that is not the offer's).
/// </summary>
internal sealed class DtlsSrtpClient(BcTlsCrypto crypto, DtlsIdentity identity, byte[]? expectedServerFingerprint,
    SrtpProfile[]? profiles = null)
    : DefaultTlsClient(crypto)
{
    private readonly SrtpProfile[] _profiles = profiles ?? [SrtpProfile.AesCm128HmacSha1_80];
    private readonly BcTlsCrypto _crypto = crypto;
    private readonly DtlsIdentity _identity = identity;
    private readonly byte[]? _expectedServerFingerprint = expectedServerFingerprint;

    public byte[]? KeyingMaterial { get; private set; }

    /// <summary>The profile the server chose.</summary>
    public SrtpProfile Profile { get; private set; }

    public override int GetHandshakeTimeoutMillis() => DtlsSrtpServer.HandshakeTimeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256];

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions,
            new UseSrtpData([.. _profiles.Select(p => (int)p)], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var srtp = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (srtp is null || srtp.ProtectionProfiles.Length != 1 || !_profiles.Contains((SrtpProfile)srtp.ProtectionProfiles[0]))
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter); // RFC 5764 §4.1.1: one of ours, exactly one
        }

        Profile = (SrtpProfile)srtp.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        KeyingMaterial = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpContext.KeyingMaterialLength(Profile));
    }

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            if (client._expectedServerFingerprint is null)
            {
                return;
            }

            var digest = SHA256.HashData(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded());
            if (!CryptographicOperations.FixedTimeEquals(digest, client._expectedServerFingerprint))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
        {
            var certificate = new Certificate([client._crypto.CreateCertificate(client._identity.CertificateDer)]);
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(client.m_context), client._crypto,
                client._identity.PrivateKey, certificate, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}
