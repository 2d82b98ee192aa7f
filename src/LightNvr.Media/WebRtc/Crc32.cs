namespace LightNvr.Media.WebRtc;

/// <summary>
/// CRC-32 of ISO 3309 / ITU-T V.42 (polynomial 0xEDB88320 reflected), as STUN's FINGERPRINT uses it
/// (RFC 8489 §14.7). Table-driven; System.IO.Hashing is a separate package and not worth a dependency for this.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
