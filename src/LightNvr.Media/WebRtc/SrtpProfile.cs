namespace LightNvr.Media.WebRtc;

/// <summary>
/// The SRTP protection profiles a DTLS <c>use_srtp</c> extension can select (RFC 5764 §4.1.2, RFC 7714 §14.2); the
/// values are the profiles' two-byte identifiers.
/// </summary>
public enum SrtpProfile
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711): 16-byte key, 14-byte salt, 80-bit HMAC-SHA1 tag.</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM (RFC 7714): 16-byte key, 12-byte salt, 128-bit GCM tag.</summary>
    AeadAes128Gcm = 0x0007,
}
