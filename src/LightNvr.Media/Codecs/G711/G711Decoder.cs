namespace LightNvr.Media.Codecs.G711;

/// <summary>ITU-T G.711 to 16-bit linear PCM: µ-law (§2) and A-law (§3), the inverse of <see cref="G711Encoder"/>.</summary>
public static class G711Decoder
{
    public static short MuLaw(byte code)
    {
        var u = ~code & 0xFF;
        var t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    public static short ALaw(byte code)
    {
        var a = code ^ 0x55;
        var t = (a & 0x0F) << 4;
        var segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }
}
