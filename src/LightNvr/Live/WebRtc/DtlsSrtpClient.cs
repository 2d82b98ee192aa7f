using System.Security.Cryptography;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// The DTLS 1.2 client side of DTLS-SRTP (RFC 5764), as a browser plays it: ECDHE-ECDSA, <c>use_srtp</c>
/// SRTP_AES128_CM_HMAC_SHA1_80, a self-signed ECDSA client certificate, and the server certificate's SHA-256 checked
/// against <paramref name="expectedServerFingerprint"/> when given. Used to warm the server's DTLS code up at start
/// (<see cref="WebRtcWarmup"/>) and by tests that play a misbehaving peer (a certificate that is not the offer's).
/// </summary>
internal sealed class DtlsSrtpClient(BcTlsCrypto crypto, DtlsIdentity identity, byte[]? expectedServerFingerprint)
    : DefaultTlsClient(crypto)
{
    private readonly BcTlsCrypto _crypto = crypto;
    private readonly DtlsIdentity _identity = identity;
    private readonly byte[]? _expectedServerFingerprint = expectedServerFingerprint;

    public byte[]? KeyingMaterial { get; private set; }

    public override int GetHandshakeTimeoutMillis() => DtlsSrtpServer.HandshakeTimeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256];

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions,
            new UseSrtpData([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        KeyingMaterial = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, DtlsSrtpServer.KeyingMaterialLength);
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
