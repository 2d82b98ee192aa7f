using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>
/// The initialization segment of a fragmented MP4 (ISO/IEC 14496-12 §8.8, ISO/IEC 23009-1 §6.3.3.1 / RFC 8216 §3.3):
/// <c>ftyp</c> then a <c>moov</c> with one <c>trak</c> per track (empty sample tables: every sample lives in
/// fragments) and an <c>mvex</c> with one <c>trex</c> per track. Track IDs are <see cref="MediaTrack"/> position + 1;
/// each track's timescale is its <see cref="MediaTrack.ClockRate"/> so DTS values are written without rescaling.
/// </summary>
public static partial class Fmp4InitSegment
{
    /// <summary>Movie timescale (mvhd): milliseconds; only durations of the movie header use it.</summary>
    public const uint MovieTimescale = 1000;

    private const int FileTypeBoxSize = 32;
    private const int MovieHeaderBoxSize = 108;
    private const int TrackExtendsBoxSize = 32;

    public static int GetSize(IReadOnlyList<MediaTrack> tracks)
    {
        var moov = 8 + MovieHeaderBoxSize + 8;
        for (var i = 0; i < tracks.Count; i++)
        {
            moov += GetTrackBoxSize(tracks[i]) + TrackExtendsBoxSize;
        }

        return FileTypeBoxSize + moov;
    }

    /// <summary>Writes ftyp+moov into <paramref name="destination"/>, which must hold <see cref="GetSize"/> bytes.</summary>
    public static int WriteTo(Span<byte> destination, IReadOnlyList<MediaTrack> tracks)
    {
        var w = new BoxWriter(destination);
        WriteFileTypeBox(ref w);
        w.BeginBox(FourCc.Moov);
        WriteMovieHeaderBox(ref w, (uint)tracks.Count + 1);
        for (var i = 0; i < tracks.Count; i++)
        {
            WriteTrackBox(ref w, tracks[i], (uint)i + 1);
        }

        w.BeginBox(FourCc.Mvex);
        for (var i = 0; i < tracks.Count; i++)
        {
            WriteTrackExtendsBox(ref w, (uint)i + 1);
        }

        w.EndBox();
        w.EndBox();
        return w.Position;
    }

    public static byte[] Create(IReadOnlyList<MediaTrack> tracks)
    {
        var bytes = new byte[GetSize(tracks)];
        var written = WriteTo(bytes, tracks);
        if (written != bytes.Length)
        {
            throw new InvalidOperationException($"Init segment size {written} differs from computed {bytes.Length}");
        }

        return bytes;
    }

    /// <summary>FileTypeBox, §4.3: major brand iso5 (default-base-is-moof and tfdt need it), compatible iso5, iso6, mp41, isom.</summary>
    internal static void WriteFileTypeBox(ref BoxWriter w)
    {
        w.BeginBox(FourCc.Ftyp);
        w.WriteUInt32(FourCc.Of("iso5"));
        w.WriteUInt32(512);
        w.WriteUInt32(FourCc.Of("iso5"));
        w.WriteUInt32(FourCc.Of("iso6"));
        w.WriteUInt32(FourCc.Of("mp41"));
        w.WriteUInt32(FourCc.Of("isom"));
        w.EndBox();
    }

    /// <summary>MovieHeaderBox, §8.2.2, version 0, duration 0 (unknown: the fragments carry the media).</summary>
    private static void WriteMovieHeaderBox(ref BoxWriter w, uint nextTrackId)
    {
        w.BeginFullBox(FourCc.Mvhd, 0, 0);
        w.WriteUInt32(0); // creation_time
        w.WriteUInt32(0); // modification_time
        w.WriteUInt32(MovieTimescale);
        w.WriteUInt32(0); // duration
        w.WriteUInt32(0x00010000); // rate 1.0
        w.WriteUInt16(0x0100); // volume 1.0
        w.WriteZeros(10); // reserved
        w.WriteUnityMatrix();
        w.WriteZeros(24); // pre_defined
        w.WriteUInt32(nextTrackId);
        w.EndBox();
    }

    /// <summary>TrackExtendsBox, §8.8.3: sample description 1, other defaults 0 (every trun states its own).</summary>
    private static void WriteTrackExtendsBox(ref BoxWriter w, uint trackId)
    {
        w.BeginFullBox(FourCc.Trex, 0, 0);
        w.WriteUInt32(trackId);
        w.WriteUInt32(1); // default_sample_description_index
        w.WriteUInt32(0); // default_sample_duration
        w.WriteUInt32(0); // default_sample_size
        w.WriteUInt32(0); // default_sample_flags
        w.EndBox();
    }
}
