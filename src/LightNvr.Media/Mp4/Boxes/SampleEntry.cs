namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// The sample entry of a track's <c>stsd</c>: VisualSampleEntry (ISO/IEC 14496-12 §12.1.3) as <c>avc1</c>+<c>avcC</c>
/// or <c>hvc1</c>+<c>hvcC</c> (ISO/IEC 14496-15 §5.4.2, §8.4.1), AudioSampleEntry (§12.2.3) as <c>mp4a</c>+<c>esds</c>
/// (ISO/IEC 14496-14 §5.6), <c>Opus</c>+<c>dOps</c> ("Encapsulation of Opus in ISO Base Media File Format" §4.3) or,
/// for G.711, <c>ulaw</c>/<c>alaw</c> (QuickTime sound sample descriptions, which ffmpeg's mov/mp4 demuxer decodes; no
/// browser plays G.711 from MP4 — see docs/mp4.md).
/// </summary>
public static class SampleEntry
{
    private const int VisualSampleEntrySize = 86;
    private const int AudioSampleEntrySize = 36;
    private const int OpusSpecificBoxSize = 19;

    /// <summary>The sample-entry code for a codec, or 0 when MP4 cannot carry it here.</summary>
    public static uint TypeOf(MediaCodec codec) => codec switch
    {
        MediaCodec.H264 => FourCc.Avc1,
        MediaCodec.H265 => FourCc.Hvc1,
        MediaCodec.Aac => FourCc.Mp4a,
        MediaCodec.Pcmu => FourCc.Ulaw,
        MediaCodec.Pcma => FourCc.Alaw,
        MediaCodec.Opus => FourCc.Opus,
        _ => 0,
    };

    public static int GetSize(MediaTrack track) => track.Codec switch
    {
        MediaCodec.H264 => VisualSampleEntrySize + 8 + AvcDecoderConfigurationRecord.GetSize(track.Sps, track.Pps),
        MediaCodec.H265 => VisualSampleEntrySize + 8 + HevcDecoderConfigurationRecord.GetSize(track.Vps, track.Sps, track.Pps),
        MediaCodec.Aac => AudioSampleEntrySize + 12 + EsDescriptor.GetSize(track.AudioSpecificConfig),
        MediaCodec.Pcmu or MediaCodec.Pcma => AudioSampleEntrySize,
        MediaCodec.Opus => AudioSampleEntrySize + OpusSpecificBoxSize,
        _ => throw new NotSupportedException("No MP4 sample entry for " + track.Codec),
    };

    public static void WriteTo(ref BoxWriter w, MediaTrack track)
    {
        var type = TypeOf(track.Codec);
        if (track.Kind == MediaKind.Video)
        {
            WriteVisualHeader(ref w, type, track.Width, track.Height);
            if (track.Codec == MediaCodec.H264)
            {
                w.BeginBox(FourCc.AvcC);
                AvcDecoderConfigurationRecord.WriteTo(ref w, track.Sps, track.Pps);
            }
            else
            {
                w.BeginBox(FourCc.HvcC);
                HevcDecoderConfigurationRecord.WriteTo(ref w, track.Vps, track.Sps, track.Pps);
            }

            w.EndBox();
            w.EndBox();
            return;
        }

        WriteAudioHeader(ref w, type, track);
        if (track.Codec == MediaCodec.Aac)
        {
            w.BeginFullBox(FourCc.Esds, 0, 0);
            EsDescriptor.WriteTo(ref w, track.AudioSpecificConfig, (ushort)(track.Id + 1));
            w.EndBox();
        }
        else if (track.Codec == MediaCodec.Opus)
        {
            // OpusSpecificBox: Version 0, OutputChannelCount, PreSkip (unknown from RTP: 0), InputSampleRate,
            // OutputGain 0, ChannelMappingFamily 0 (mono/stereo).
            w.BeginBox(FourCc.DOps);
            w.WriteByte(0);
            w.WriteByte((byte)Math.Clamp(track.Channels, 1, 2));
            w.WriteUInt16(0);
            w.WriteUInt32((uint)(track.SampleRate > 0 ? track.SampleRate : 48000));
            w.WriteUInt16(0);
            w.WriteByte(0);
            w.EndBox();
        }

        w.EndBox();
    }

    private static void WriteVisualHeader(ref BoxWriter w, uint type, int width, int height)
    {
        w.BeginBox(type);
        w.WriteZeros(6); // reserved
        w.WriteUInt16(1); // data_reference_index
        w.WriteZeros(16); // pre_defined, reserved, pre_defined[3]
        w.WriteUInt16((ushort)width);
        w.WriteUInt16((ushort)height);
        w.WriteUInt32(0x00480000); // horizresolution 72 dpi
        w.WriteUInt32(0x00480000); // vertresolution
        w.WriteUInt32(0); // reserved
        w.WriteUInt16(1); // frame_count
        w.WriteZeros(32); // compressorname
        w.WriteUInt16(0x0018); // depth
        w.WriteUInt16(0xFFFF); // pre_defined = -1
    }

    private static void WriteAudioHeader(ref BoxWriter w, uint type, MediaTrack track)
    {
        var rate = track.Codec == MediaCodec.Opus ? 48000 : track.SampleRate > 0 ? track.SampleRate : track.ClockRate;
        w.BeginBox(type);
        w.WriteZeros(6);
        w.WriteUInt16(1); // data_reference_index
        w.WriteZeros(8); // reserved
        w.WriteUInt16((ushort)Math.Max(1, track.Channels));
        w.WriteUInt16(16); // samplesize
        w.WriteZeros(4); // pre_defined, reserved
        w.WriteUInt32(rate <= ushort.MaxValue ? (uint)rate << 16 : 0); // samplerate, 16.16
    }
}
