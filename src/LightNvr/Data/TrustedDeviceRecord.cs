namespace LightNvr.Data;

/// <summary>One row of <c>trusted_devices</c>; <see cref="TokenHash"/> is SHA-256 of the cookie value.</summary>
public sealed record TrustedDeviceRecord(long Id, string TokenHash, long CreatedAt, long LastUsedAt, long ExpiresAt, string IpAddress,
    string UserAgent);
