using System.Buffers.Binary;

namespace LightNvr.Media.Mp4.Boxes;

/// <summary>Four-character codes of the boxes and sample entries this library writes or reads (ISO/IEC 14496-12).</summary>
public static class FourCc
{
    public static readonly uint Ftyp = Of("ftyp");
    public static readonly uint Moov = Of("moov");
    public static readonly uint Mvhd = Of("mvhd");
    public static readonly uint Trak = Of("trak");
    public static readonly uint Tkhd = Of("tkhd");
    public static readonly uint Mdia = Of("mdia");
    public static readonly uint Mdhd = Of("mdhd");
    public static readonly uint Hdlr = Of("hdlr");
    public static readonly uint Minf = Of("minf");
    public static readonly uint Vmhd = Of("vmhd");
    public static readonly uint Smhd = Of("smhd");
    public static readonly uint Dinf = Of("dinf");
    public static readonly uint Dref = Of("dref");
    public static readonly uint Url = Of("url ");
    public static readonly uint Stbl = Of("stbl");
    public static readonly uint Stsd = Of("stsd");
    public static readonly uint Stts = Of("stts");
    public static readonly uint Stsc = Of("stsc");
    public static readonly uint Stsz = Of("stsz");
    public static readonly uint Stco = Of("stco");
    public static readonly uint Mvex = Of("mvex");
    public static readonly uint Trex = Of("trex");
    public static readonly uint Moof = Of("moof");
    public static readonly uint Mfhd = Of("mfhd");
    public static readonly uint Traf = Of("traf");
    public static readonly uint Tfhd = Of("tfhd");
    public static readonly uint Tfdt = Of("tfdt");
    public static readonly uint Trun = Of("trun");
    public static readonly uint Mdat = Of("mdat");
    public static readonly uint Mfra = Of("mfra");
    public static readonly uint Free = Of("free");
    public static readonly uint Skip = Of("skip");
    public static readonly uint Styp = Of("styp");
    public static readonly uint Sidx = Of("sidx");
    public static readonly uint Avc1 = Of("avc1");
    public static readonly uint Avc3 = Of("avc3");
    public static readonly uint AvcC = Of("avcC");
    public static readonly uint Hvc1 = Of("hvc1");
    public static readonly uint Hev1 = Of("hev1");
    public static readonly uint HvcC = Of("hvcC");
    public static readonly uint Mp4a = Of("mp4a");
    public static readonly uint Esds = Of("esds");
    public static readonly uint Ulaw = Of("ulaw");
    public static readonly uint Alaw = Of("alaw");
    public static readonly uint Opus = Of("Opus");
    public static readonly uint DOps = Of("dOps");
    public static readonly uint Vide = Of("vide");
    public static readonly uint Soun = Of("soun");

    public static uint Of(string code)
    {
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            bytes[i] = (byte)code[i];
        }

        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static string ToString(uint code) => string.Create(4, code, static (span, c) =>
    {
        for (var i = 0; i < 4; i++)
        {
            var b = (byte)(c >> (24 - (8 * i)));
            span[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }
    });
}
