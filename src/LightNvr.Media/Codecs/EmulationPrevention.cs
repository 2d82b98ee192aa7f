namespace LightNvr.Media.Codecs;

/// <summary>
/// Removal of emulation prevention bytes: a NAL unit's payload becomes its RBSP by dropping every 0x03 that follows
/// two zero bytes (ITU-T H.264 §7.4.1, H.265 §7.4.2).
/// </summary>
public static class EmulationPrevention
{
    /// <summary>
    /// Copies <paramref name="nal"/> into <paramref name="rbsp"/> without the emulation prevention bytes and
    /// returns the number of bytes written. <paramref name="rbsp"/> may be shorter than <paramref name="nal"/>: the
    /// copy stops when it is full (parameter-set parsers only need a bounded prefix).
    /// </summary>
    public static int Remove(ReadOnlySpan<byte> nal, Span<byte> rbsp)
    {
        var written = 0;
        var zeros = 0;
        foreach (var b in nal)
        {
            if (written == rbsp.Length)
            {
                break;
            }

            if (zeros >= 2 && b == 0x03)
            {
                zeros = 0;
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            rbsp[written++] = b;
        }

        return written;
    }

    /// <summary>
    /// The size <paramref name="rbsp"/> takes once emulation prevention bytes are inserted (H.264 §7.4.1: any
    /// 0x000000–0x000003 pattern gets a 0x03 before its third byte).
    /// </summary>
    public static int GetEscapedSize(ReadOnlySpan<byte> rbsp)
    {
        var size = 0;
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b <= 0x03)
            {
                size++;
                zeros = 0;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            size++;
        }

        return size;
    }

    /// <summary>Writes <paramref name="rbsp"/> with emulation prevention bytes inserted; returns the bytes written.</summary>
    public static int Insert(ReadOnlySpan<byte> rbsp, Span<byte> destination)
    {
        var written = 0;
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b <= 0x03)
            {
                destination[written++] = 0x03;
                zeros = 0;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            destination[written++] = b;
        }

        return written;
    }
}
