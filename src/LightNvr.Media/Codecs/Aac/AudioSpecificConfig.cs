using System.Buffers.Binary;

namespace LightNvr.Media.Codecs.Aac;

/// <summary>
/// MPEG-4 Audio AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), the SDP <c>config=</c> of RFC 3640 and the
/// payload of an MP4 <c>esds</c> DecoderSpecificInfo. Parsed: object type (with the escape to 32+), sampling
/// frequency (index or explicit 24-bit), channel configuration, explicit SBR/PS signalling and the GASpecificConfig
/// frameLengthFlag. Written: the plain form (no SBR/PS extension, GASpecificConfig with all flags but frameLengthFlag 0).
/// </summary>
public readonly record struct AudioSpecificConfig
{
    /// <summary>ISO/IEC 14496-3 Table 1.18: samplingFrequencyIndex 0..12; 13, 14 reserved, 15 = explicit.</summary>
    private static readonly int[] SamplingFrequencies =
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>Explicit sample rates are 24-bit (ISO/IEC 14496-3 §1.6.2.1).</summary>
    private const int MaxExplicitSampleRate = (1 << 24) - 1;

    /// <summary>audioObjectType: 2 is AAC LC (ISO/IEC 14496-3 Table 1.17).</summary>
    public int ObjectType { get; init; }

    /// <summary>Core sampling rate in Hz (for HE-AAC the core, not the SBR, rate).</summary>
    public int SampleRate { get; init; }

    /// <summary>channelConfiguration 1..7 (Table 1.19); 0 means defined by a program config element.</summary>
    public int ChannelConfiguration { get; init; }

    /// <summary>Samples per AAC frame: 1024, or 960 when GASpecificConfig frameLengthFlag is set.</summary>
    public int FrameLength { get; init; }

    /// <summary>Channel count implied by <see cref="ChannelConfiguration"/> (7 is 7.1, i.e. 8 channels).</summary>
    public int Channels => ChannelConfiguration == 7 ? 8 : ChannelConfiguration;

    public static bool TryParse(ReadOnlySpan<byte> data, out AudioSpecificConfig config)
    {
        config = default;
        var r = new BitReader(data);
        var objectType = ReadObjectType(ref r);
        var sampleRate = ReadSampleRate(ref r);
        var channels = (int)r.ReadBits(4);
        if (objectType is 5 or 29)
        {
            // Explicit hierarchical SBR/PS signalling: extension rate, then the core object type.
            ReadSampleRate(ref r);
            objectType = ReadObjectType(ref r);
            if (objectType == 22)
            {
                r.Skip(4); // extensionChannelConfiguration
            }
        }

        var frameLength = 1024;
        if (objectType is 1 or 2 or 3 or 4 or 6 or 7 or 17 or 19 or 20 or 21 or 22 or 23)
        {
            frameLength = r.ReadFlag() ? 960 : 1024;
        }

        if (r.Overrun || objectType == 0 || sampleRate <= 0)
        {
            return false;
        }

        config = new AudioSpecificConfig
        {
            ObjectType = objectType,
            SampleRate = sampleRate,
            ChannelConfiguration = channels,
            FrameLength = frameLength,
        };
        return true;
    }

    /// <summary>Parses the hex string of an SDP <c>config=</c> parameter (RFC 3640 §4.1).</summary>
    public static bool TryParseHex(string hex, out AudioSpecificConfig config, out byte[] bytes)
    {
        config = default;
        bytes = [];
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.Length > 128)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        return TryParse(bytes, out config);
    }

    public int GetSize()
    {
        var bits = (ObjectType >= 31 ? 11 : 5) + 4 + (SamplingIndexOf(SampleRate) < 0 ? 24 : 0) + 4 + 3;
        return (bits + 7) / 8;
    }

    /// <summary>Writes the plain form; returns the bytes written (<see cref="GetSize"/>).</summary>
    public int WriteTo(Span<byte> destination)
    {
        ulong bits = 0;
        var count = 0;
        if (ObjectType >= 31)
        {
            Put(31, 5);
            Put((ulong)(ObjectType - 32), 6);
        }
        else
        {
            Put((ulong)ObjectType, 5);
        }

        var index = SamplingIndexOf(SampleRate);
        if (index < 0)
        {
            Put(15, 4);
            Put((ulong)SampleRate & MaxExplicitSampleRate, 24);
        }
        else
        {
            Put((ulong)index, 4);
        }

        Put((ulong)ChannelConfiguration, 4);
        Put(FrameLength == 960 ? 1UL : 0UL, 1); // frameLengthFlag
        Put(0, 2); // dependsOnCoreCoder, extensionFlag
        var size = (count + 7) / 8;
        bits <<= (size * 8) - count;
        Span<byte> tmp = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(tmp, bits << (64 - (size * 8)));
        tmp[..size].CopyTo(destination);
        return size;

        void Put(ulong value, int n)
        {
            bits = (bits << n) | (value & ((1UL << n) - 1));
            count += n;
        }
    }

    public byte[] ToArray()
    {
        var bytes = new byte[GetSize()];
        WriteTo(bytes);
        return bytes;
    }

    private static int SamplingIndexOf(int rate) => Array.IndexOf(SamplingFrequencies, rate);

    private static int ReadObjectType(ref BitReader r)
    {
        var type = (int)r.ReadBits(5);
        return type == 31 ? 32 + (int)r.ReadBits(6) : type;
    }

    private static int ReadSampleRate(ref BitReader r)
    {
        var index = (int)r.ReadBits(4);
        if (index == 15)
        {
            return (int)r.ReadBits(24);
        }

        return index < SamplingFrequencies.Length ? SamplingFrequencies[index] : -1;
    }
}
