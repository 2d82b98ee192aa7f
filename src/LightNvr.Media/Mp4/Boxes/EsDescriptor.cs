namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// The <c>esds</c> body for AAC: an ES_Descriptor (ISO/IEC 14496-1 §7.2.6.5) holding a DecoderConfigDescriptor
/// (§7.2.6.6, objectTypeIndication 0x40 = MPEG-4 Audio, streamType 5 = audio) whose DecoderSpecificInfo is the
/// AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), and an SLConfigDescriptor (predefined = 2, as MP4 requires).
/// Descriptor sizes use the shortest expandable encoding (§8.3.3).
/// </summary>
public static class EsDescriptor
{
    /// <summary>A one-byte descriptor size keeps the layout simple; real AudioSpecificConfigs are 2–5 bytes.</summary>
    public const int MaxAudioSpecificConfigLength = 100;

    private const byte EsDescrTag = 0x03;
    private const byte DecoderConfigDescrTag = 0x04;
    private const byte DecSpecificInfoTag = 0x05;
    private const byte SlConfigDescrTag = 0x06;

    public static int GetSize(ReadOnlySpan<byte> audioSpecificConfig) => 2 + EsPayload(audioSpecificConfig.Length);

    public static void WriteTo(ref BoxWriter w, ReadOnlySpan<byte> audioSpecificConfig, ushort esId)
    {
        if (audioSpecificConfig.Length > MaxAudioSpecificConfigLength)
        {
            throw new ArgumentException("AudioSpecificConfig too long", nameof(audioSpecificConfig));
        }

        var asc = audioSpecificConfig.Length;
        w.WriteByte(EsDescrTag);
        w.WriteByte((byte)EsPayload(asc));
        w.WriteUInt16(esId);
        w.WriteByte(0); // no stream dependence, URL or OCR stream
        w.WriteByte(DecoderConfigDescrTag);
        w.WriteByte((byte)DecoderConfigPayload(asc));
        w.WriteByte(0x40); // objectTypeIndication: Audio ISO/IEC 14496-3
        w.WriteByte(0x15); // streamType 5 (audio) << 2 | upStream 0 | reserved 1
        w.WriteUInt24(0); // bufferSizeDB
        w.WriteUInt32(0); // maxBitrate
        w.WriteUInt32(0); // avgBitrate
        w.WriteByte(DecSpecificInfoTag);
        w.WriteByte((byte)asc);
        w.WriteBytes(audioSpecificConfig);
        w.WriteByte(SlConfigDescrTag);
        w.WriteByte(1);
        w.WriteByte(2); // predefined: reserved for use in MP4 files
    }

    /// <summary>Finds the DecoderSpecificInfo (the AudioSpecificConfig) in an esds body (after version/flags).</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out byte[] audioSpecificConfig)
    {
        audioSpecificConfig = [];
        var pos = 0;
        while (pos < body.Length)
        {
            var tag = body[pos++];
            var size = 0;
            for (var i = 0; i < 4 && pos < body.Length; i++)
            {
                var b = body[pos++];
                size = (size << 7) | (b & 0x7F);
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            switch (tag)
            {
                case EsDescrTag:
                    if (pos + 3 > body.Length)
                    {
                        return false;
                    }

                    var flags = body[pos + 2];
                    pos += 3 + ((flags & 0x80) != 0 ? 2 : 0);
                    if ((flags & 0x40) != 0 && pos < body.Length)
                    {
                        pos += 1 + body[pos];
                    }

                    pos += (flags & 0x20) != 0 ? 2 : 0;
                    break;
                case DecoderConfigDescrTag:
                    pos += 13;
                    break;
                case DecSpecificInfoTag:
                    if (pos + size > body.Length)
                    {
                        return false;
                    }

                    audioSpecificConfig = body.Slice(pos, size).ToArray();
                    return true;
                default:
                    pos += size;
                    break;
            }
        }

        return false;
    }

    private static int DecoderConfigPayload(int asc) => 13 + 2 + asc;

    private static int EsPayload(int asc) => 3 + 2 + DecoderConfigPayload(asc) + 3;
}
