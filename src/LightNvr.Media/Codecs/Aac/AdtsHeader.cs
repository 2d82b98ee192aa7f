namespace LightNvr.Media.Codecs.Aac;

/// <summary>
/// The 7-byte ADTS header (ISO/IEC 13818-7 §6.2.1, no CRC) in front of a raw AAC access unit, so a decoder that
/// reads a byte stream (ffmpeg's <c>-f aac</c>) can frame it: syncword 0xFFF, MPEG-4, layer 0, protection absent,
/// profile = audioObjectType − 1, sampling frequency index, channel configuration, frame length incl. header,
/// buffer fullness 0x7FF (VBR), one raw data block.
/// </summary>
public static class AdtsHeader
{
    public const int Length = 7;

    /// <summary>ADTS frame_length is 13 bits: header plus payload at most 8191 bytes.</summary>
    public const int MaxFrameLength = (1 << 13) - 1;

    private static readonly int[] SamplingFrequencies =
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>
    /// Writes the header for a payload of <paramref name="payloadLength"/> bytes; false when ADTS cannot carry this
    /// config (object type above 4, a sample rate outside the index table, channel configuration 0, too long).
    /// </summary>
    public static bool TryWrite(AudioSpecificConfig config, int payloadLength, Span<byte> destination)
    {
        var index = Array.IndexOf(SamplingFrequencies, config.SampleRate);
        var frameLength = payloadLength + Length;
        if (destination.Length < Length || index < 0 || config.ObjectType is < 1 or > 4 ||
            config.ChannelConfiguration is < 1 or > 7 || frameLength > MaxFrameLength)
        {
            return false;
        }

        var profile = config.ObjectType - 1;
        destination[0] = 0xFF;
        destination[1] = 0xF1; // syncword low bits, ID 0 (MPEG-4), layer 00, protection_absent 1
        destination[2] = (byte)((profile << 6) | (index << 2) | (config.ChannelConfiguration >> 2));
        destination[3] = (byte)(((config.ChannelConfiguration & 3) << 6) | (frameLength >> 11));
        destination[4] = (byte)(frameLength >> 3);
        destination[5] = (byte)(((frameLength & 7) << 5) | 0x1F);
        destination[6] = 0xFC; // buffer fullness low bits, number_of_raw_data_blocks_in_frame 0
        return true;
    }
}
