namespace LightNvr.Media.Codecs.G711;

/// <summary>
/// ITU-T G.711 encoding of 16-bit linear PCM: µ-law (§2, bias 0x84, segment + 4-bit mantissa, inverted) and A-law
/// (§3, even bits inverted with 0x55). What a browser's microphone (decoded) becomes for a camera's backchannel.
/// </summary>
public static class G711Encoder
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    public static byte MuLaw(short pcm)
    {
        var sample = (int)pcm;
        var sign = sample < 0 ? 0x80 : 0;
        if (sign != 0)
        {
            sample = -sample;
        }

        sample = Math.Min(sample, MuLawClip) + MuLawBias;
        var exponent = 7;
        for (var mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static byte ALaw(short pcm)
    {
        var sample = pcm >> 3; // 13-bit magnitude range (§3)
        var sign = sample >= 0 ? 0x80 : 0;
        if (sample < 0)
        {
            sample = -sample - 1;
        }

        int code;
        if (sample < 32)
        {
            code = sample >> 1;
        }
        else
        {
            var exponent = 1;
            for (var v = sample >> 5; v > 1 && exponent < 7; v >>= 1)
            {
                exponent++;
            }

            sample = Math.Min(sample, 4095);
            code = (exponent << 4) | ((sample >> exponent) & 0x0F);
        }

        return (byte)((sign | code) ^ 0x55);
    }

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="destination"/> (same length) with µ-law or A-law.</summary>
    public static void Encode(ReadOnlySpan<short> pcm, Span<byte> destination, bool aLaw)
    {
        for (var i = 0; i < pcm.Length; i++)
        {
            destination[i] = aLaw ? ALaw(pcm[i]) : MuLaw(pcm[i]);
        }
    }
}
