namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// MovieFragmentBox <c>moof</c>, ISO/IEC 14496-12 §8.8.4: <c>mfhd</c> (§8.8.5) and one <c>traf</c> per track with
/// <c>tfhd</c> (§8.8.7, default-base-is-moof), <c>tfdt</c> (§8.8.12, version 1: 64-bit decode time) and one
/// <c>trun</c> (§8.8.8) with per-sample duration and size, per-sample flags for video, and composition offsets
/// (version 1, signed) only when a sample of the run has one. The matching <c>mdat</c> header follows directly, so
/// each trun's data_offset is known before writing: moof size + 8 + the data of the tracks before it.
/// </summary>
public static class MovieFragmentBox
{
    /// <summary>tfhd flag: default-base-is-moof (§8.8.7.1).</summary>
    public const uint DefaultBaseIsMoof = 0x020000;

    /// <summary>tfhd flag: default-sample-flags-present.</summary>
    public const uint DefaultSampleFlagsPresent = 0x000020;

    public const uint TrunDataOffsetPresent = 0x000001;
    public const uint TrunFirstSampleFlagsPresent = 0x000004;
    public const uint TrunSampleDurationPresent = 0x000100;
    public const uint TrunSampleSizePresent = 0x000200;
    public const uint TrunSampleFlagsPresent = 0x000400;
    public const uint TrunSampleCompositionTimeOffsetsPresent = 0x000800;

    /// <summary>Size of the mdat header written after the moof (32-bit size: a fragment stays far below 4 GiB).</summary>
    public const int MediaDataHeaderSize = 8;

    public static int GetSize(ReadOnlySpan<TrackFragment> tracks)
    {
        var size = 8 + 16;
        foreach (var t in tracks)
        {
            size += GetTrackFragmentBoxSize(t);
        }

        return size;
    }

    /// <summary>
    /// Writes the moof and the mdat header (whose payload is <paramref name="tracks"/>' data, in order) into
    /// <paramref name="destination"/>; returns the bytes written: <see cref="GetSize"/> + <see cref="MediaDataHeaderSize"/>.
    /// </summary>
    public static int WriteTo(Span<byte> destination, uint sequenceNumber, ReadOnlySpan<TrackFragment> tracks)
    {
        var moofSize = GetSize(tracks);
        var w = new BoxWriter(destination);
        w.BeginBox(FourCc.Moof);
        w.BeginFullBox(FourCc.Mfhd, 0, 0);
        w.WriteUInt32(sequenceNumber);
        w.EndBox();

        long dataOffset = moofSize + MediaDataHeaderSize;
        foreach (var t in tracks)
        {
            WriteTrackFragmentBox(ref w, t, checked((int)dataOffset));
            dataOffset += t.DataSize;
        }

        w.EndBox();
        w.WriteUInt32(checked((uint)(dataOffset - moofSize)));
        w.WriteUInt32(FourCc.Mdat);
        return w.Position;
    }

    private static int GetTrackFragmentBoxSize(TrackFragment t)
    {
        var tfhd = 16 + (t.IsVideo ? 0 : 4);
        var perSample = 8 + (t.IsVideo ? 4 : 0) + (t.HasCompositionOffsets ? 4 : 0);
        var trun = 20 + (perSample * t.Samples.Count);
        return 8 + tfhd + 20 + trun;
    }

    private static void WriteTrackFragmentBox(ref BoxWriter w, TrackFragment t, int dataOffset)
    {
        w.BeginBox(FourCc.Traf);

        w.BeginFullBox(FourCc.Tfhd, 0, DefaultBaseIsMoof | (t.IsVideo ? 0 : DefaultSampleFlagsPresent));
        w.WriteUInt32(t.TrackId);
        if (!t.IsVideo)
        {
            w.WriteUInt32(FragmentSample.SyncFlags);
        }

        w.EndBox();

        w.BeginFullBox(FourCc.Tfdt, 1, 0);
        w.WriteUInt64(t.BaseMediaDecodeTime);
        w.EndBox();

        var cto = t.HasCompositionOffsets;
        var flags = TrunDataOffsetPresent | TrunSampleDurationPresent | TrunSampleSizePresent
            | (t.IsVideo ? TrunSampleFlagsPresent : 0) | (cto ? TrunSampleCompositionTimeOffsetsPresent : 0);
        w.BeginFullBox(FourCc.Trun, cto ? (byte)1 : (byte)0, flags);
        w.WriteUInt32((uint)t.Samples.Count);
        w.WriteInt32(dataOffset);
        foreach (var s in t.Samples.AsSpan())
        {
            w.WriteUInt32(s.Duration);
            w.WriteInt32(s.Size);
            if (t.IsVideo)
            {
                w.WriteUInt32(s.Flags);
            }

            if (cto)
            {
                w.WriteInt32(s.CompositionOffset);
            }
        }

        w.EndBox();
        w.EndBox();
    }
}
