using System.Security.Cryptography;
using LightNvr.Media.WebRtc;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// The DTLS 1.2 server side of DTLS-SRTP (RFC 5764) on BouncyCastle: ECDHE-ECDSA suites only (the certificate is
/// ECDSA; offering RSA suites makes BouncyCastle pick one and fail), the <c>use_srtp</c> extension with
/// SRTP_AES128_CM_HMAC_SHA1_80 (§4.1.2), a client certificate required and checked against the offer's
/// <c>a=fingerprint</c> (RFC 8122 §5, RFC 8827 §6.5), and the SRTP keying material exported when the handshake
/// completes (§4.2: client key, server key, client salt, server salt).
/// </summary>
internal sealed class DtlsSrtpServer(BcTlsCrypto crypto, DtlsIdentity identity, byte[] expectedFingerprint)
    : DefaultTlsServer(crypto)
{
    /// <summary>
    /// How long a handshake may take: libwebrtc retransmits from 50 ms up to ~3 s; 20 s covers a lossy start and
    /// ends a peer that never finishes (BouncyCastle's default is no limit).
    /// </summary>
    public const int HandshakeTimeoutMillis = 20_000;

    public byte[]? KeyingMaterial { get; private set; }

    /// <summary>The profile chosen from the client's <c>use_srtp</c> list (RFC 5764 §4.1.1: the server picks one).</summary>
    public SrtpProfile Profile { get; private set; } = SrtpProfile.AesCm128HmacSha1_80;

    public override int GetHandshakeTimeoutMillis() => HandshakeTimeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        var certificate = new Certificate([crypto.CreateCertificate(identity.CertificateDer)]);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, identity.PrivateKey,
            certificate, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var srtp = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (srtp is not null && srtp.ProtectionProfiles.Contains(SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM))
        {
            Profile = SrtpProfile.AeadAes128Gcm; // authenticated encryption in one pass, and what chromium lists first
        }
        else if (srtp is not null && srtp.ProtectionProfiles.Contains(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80))
        {
            Profile = SrtpProfile.AesCm128HmacSha1_80;
        }
        else
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure); // RFC 5764 §4.1.3: no profile in common
        }
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions,
            new UseSrtpData([(int)Profile], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
        [
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
        ], null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }

        var digest = SHA256.HashData(clientCertificate.GetCertificateAt(0).GetEncoded());
        if (!CryptographicOperations.FixedTimeEquals(digest, expectedFingerprint))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate); // not the certificate the offer announced
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        KeyingMaterial = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null,
            SrtpContext.KeyingMaterialLength(Profile));
    }
}
