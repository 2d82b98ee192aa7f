using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Fragmented;

public static partial class Fmp4InitSegment
{
    private const int TrackHeaderBoxSize = 92;
    private const int MediaHeaderBoxSize = 32;
    private const int HandlerBoxSize = 45;
    private const int VideoMediaHeaderBoxSize = 20;
    private const int SoundMediaHeaderBoxSize = 16;
    private const int DataInformationBoxSize = 36;
    private const int EmptySampleTablesSize = 16 + 16 + 20 + 16; // stts, stsc, stsz, stco

    /// <summary>ISO 639-2/T "und" packed as three 5-bit letters (§8.4.2.3).</summary>
    private const ushort LanguageUndetermined = 0x55C4;

    private static int GetTrackBoxSize(MediaTrack track)
    {
        var stbl = 8 + 16 + SampleEntry.GetSize(track) + EmptySampleTablesSize;
        var minf = 8 + (track.Kind == MediaKind.Video ? VideoMediaHeaderBoxSize : SoundMediaHeaderBoxSize)
            + DataInformationBoxSize + stbl;
        var mdia = 8 + MediaHeaderBoxSize + HandlerBoxSize + minf;
        return 8 + TrackHeaderBoxSize + mdia;
    }

    private static void WriteTrackBox(ref BoxWriter w, MediaTrack track, uint trackId)
    {
        var video = track.Kind == MediaKind.Video;
        w.BeginBox(FourCc.Trak);

        // TrackHeaderBox §8.3.2, flags track_enabled | track_in_movie.
        w.BeginFullBox(FourCc.Tkhd, 0, 3);
        w.WriteUInt32(0); // creation_time
        w.WriteUInt32(0); // modification_time
        w.WriteUInt32(trackId);
        w.WriteUInt32(0); // reserved
        w.WriteUInt32(0); // duration
        w.WriteZeros(8); // reserved
        w.WriteUInt16(0); // layer
        w.WriteUInt16(video ? (ushort)0 : (ushort)1); // alternate_group
        w.WriteUInt16(video ? (ushort)0 : (ushort)0x0100); // volume
        w.WriteUInt16(0); // reserved
        w.WriteUnityMatrix();
        w.WriteUInt32(video ? (uint)track.Width << 16 : 0);
        w.WriteUInt32(video ? (uint)track.Height << 16 : 0);
        w.EndBox();

        w.BeginBox(FourCc.Mdia);

        // MediaHeaderBox §8.4.2.
        w.BeginFullBox(FourCc.Mdhd, 0, 0);
        w.WriteUInt32(0);
        w.WriteUInt32(0);
        w.WriteUInt32((uint)track.ClockRate);
        w.WriteUInt32(0); // duration
        w.WriteUInt16(LanguageUndetermined);
        w.WriteUInt16(0);
        w.EndBox();

        // HandlerBox §8.4.3.
        w.BeginFullBox(FourCc.Hdlr, 0, 0);
        w.WriteUInt32(0); // pre_defined
        w.WriteUInt32(video ? FourCc.Vide : FourCc.Soun);
        w.WriteZeros(12);
        w.WriteBytes(video ? "VideoHandler\0"u8 : "SoundHandler\0"u8);
        w.EndBox();

        w.BeginBox(FourCc.Minf);
        if (video)
        {
            w.BeginFullBox(FourCc.Vmhd, 0, 1); // §12.1.2: flags = 1
            w.WriteZeros(8); // graphicsmode, opcolor
        }
        else
        {
            w.BeginFullBox(FourCc.Smhd, 0, 0); // §12.2.2
            w.WriteZeros(4); // balance, reserved
        }

        w.EndBox();

        // DataInformationBox §8.7.1 with one self-contained DataEntryUrlBox.
        w.BeginBox(FourCc.Dinf);
        w.BeginFullBox(FourCc.Dref, 0, 0);
        w.WriteUInt32(1);
        w.BeginFullBox(FourCc.Url, 0, 1);
        w.EndBox();
        w.EndBox();
        w.EndBox();

        w.BeginBox(FourCc.Stbl);
        w.BeginFullBox(FourCc.Stsd, 0, 0);
        w.WriteUInt32(1);
        SampleEntry.WriteTo(ref w, track);
        w.EndBox();
        w.BeginFullBox(FourCc.Stts, 0, 0);
        w.WriteUInt32(0);
        w.EndBox();
        w.BeginFullBox(FourCc.Stsc, 0, 0);
        w.WriteUInt32(0);
        w.EndBox();
        w.BeginFullBox(FourCc.Stsz, 0, 0);
        w.WriteUInt32(0); // sample_size
        w.WriteUInt32(0); // sample_count
        w.EndBox();
        w.BeginFullBox(FourCc.Stco, 0, 0);
        w.WriteUInt32(0);
        w.EndBox();
        w.EndBox(); // stbl

        w.EndBox(); // minf
        w.EndBox(); // mdia
        w.EndBox(); // trak
    }
}
