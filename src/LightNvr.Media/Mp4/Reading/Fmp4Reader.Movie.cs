using System.Buffers.Binary;
using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Reading;

public static partial class Fmp4Reader
{
    private static void ParseMovie(ReadOnlySpan<byte> moov, Fmp4Index index)
    {
        var it = new BoxIterator(moov);
        while (it.MoveNext())
        {
            if (it.Type == FourCc.Trak && TryParseTrack(it.Body, index.Tracks.Count, out var track))
            {
                index.Tracks.Add(track);
            }
            else if (it.Type == FourCc.Mvex)
            {
                var mvex = new BoxIterator(it.Body);
                while (mvex.MoveNext())
                {
                    // TrackExtendsBox §8.8.3: version/flags, track_ID, description index, duration, size, flags.
                    if (mvex.Type != FourCc.Trex || mvex.Body.Length < 24)
                    {
                        continue;
                    }

                    var trex = mvex.Body;
                    var t = index.FindTrack(BinaryPrimitives.ReadUInt32BigEndian(trex[4..]));
                    if (t is not null)
                    {
                        t.DefaultDuration = BinaryPrimitives.ReadUInt32BigEndian(trex[12..]);
                        t.DefaultSize = BinaryPrimitives.ReadUInt32BigEndian(trex[16..]);
                        t.DefaultFlags = BinaryPrimitives.ReadUInt32BigEndian(trex[20..]);
                    }
                }
            }
        }
    }

    private static bool TryParseTrack(ReadOnlySpan<byte> trak, int position, out Mp4TrackInfo track)
    {
        track = null!;
        if (!BoxIterator.TryFind(trak, FourCc.Tkhd, out var tkhd) || tkhd.Length < 16
            || !BoxIterator.TryFind(trak, FourCc.Mdia, out var mdia)
            || !BoxIterator.TryFind(mdia, FourCc.Mdhd, out var mdhd) || mdhd.Length < 24
            || !BoxIterator.TryFind(mdia, FourCc.Minf, out var minf)
            || !BoxIterator.TryFind(minf, FourCc.Stbl, out var stbl)
            || !BoxIterator.TryFind(stbl, FourCc.Stsd, out var stsd) || stsd.Length < 16)
        {
            return false;
        }

        var tkhdV1 = tkhd[0] == 1;
        var trackId = BinaryPrimitives.ReadUInt32BigEndian(tkhd[(tkhdV1 ? 20 : 12)..]);
        var mdhdV1 = mdhd[0] == 1;
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(mdhd[(mdhdV1 ? 20 : 12)..]);
        if (timescale == 0 || timescale > int.MaxValue)
        {
            return false;
        }

        var entries = new BoxIterator(stsd[8..]);
        var media = new MediaTrack { Id = position, Codec = MediaCodec.Unknown, ClockRate = (int)timescale };
        uint entryType = 0;
        if (entries.MoveNext())
        {
            entryType = entries.Type;
            media = DescribeSampleEntry(entries.Type, entries.Body, media);
        }

        track = new Mp4TrackInfo(trackId, timescale, media) { SampleEntryType = entryType };
        return true;
    }

    private static MediaTrack DescribeSampleEntry(uint type, ReadOnlySpan<byte> entry, MediaTrack media)
    {
        const int visualHeader = 78;
        const int audioHeader = 28;
        if ((type == FourCc.Avc1 || type == FourCc.Avc3 || type == FourCc.Hvc1 || type == FourCc.Hev1)
            && entry.Length >= visualHeader)
        {
            var width = BinaryPrimitives.ReadUInt16BigEndian(entry[24..]);
            var height = BinaryPrimitives.ReadUInt16BigEndian(entry[26..]);
            var children = entry[visualHeader..];
            if ((type == FourCc.Avc1 || type == FourCc.Avc3) && BoxIterator.TryFind(children, FourCc.AvcC, out var avcC)
                && AvcDecoderConfigurationRecord.TryParse(avcC, out var sps, out var pps))
            {
                return media with { Codec = MediaCodec.H264, Sps = sps, Pps = pps, Width = width, Height = height };
            }

            if (BoxIterator.TryFind(children, FourCc.HvcC, out var hvcC)
                && HevcDecoderConfigurationRecord.TryParse(hvcC, out var vps, out var hsps, out var hpps))
            {
                return media with
                {
                    Codec = MediaCodec.H265, Vps = vps, Sps = hsps, Pps = hpps, Width = width, Height = height,
                };
            }

            return media;
        }

        if (entry.Length < audioHeader)
        {
            return media;
        }

        var channels = BinaryPrimitives.ReadUInt16BigEndian(entry[16..]);
        var rate = (int)(BinaryPrimitives.ReadUInt32BigEndian(entry[24..]) >> 16);
        media = media with { Channels = channels, SampleRate = rate > 0 ? rate : media.ClockRate };
        if (type == FourCc.Mp4a)
        {
            // QuickTime sound description version 1/2 put more fields before the children (ffmpeg reads them so).
            var version = BinaryPrimitives.ReadUInt16BigEndian(entry[8..]);
            var skip = version switch { 1 => 16, 2 => 36, _ => 0 };
            if (entry.Length >= audioHeader + skip
                && BoxIterator.TryFind(entry[(audioHeader + skip)..], FourCc.Esds, out var esds) && esds.Length > 4
                && EsDescriptor.TryParse(esds[4..], out var asc))
            {
                return media with { Codec = MediaCodec.Aac, AudioSpecificConfig = asc };
            }

            return media;
        }

        if (type == FourCc.Opus)
        {
            if (BoxIterator.TryFind(entry[audioHeader..], FourCc.DOps, out var dops) && dops.Length >= 2)
            {
                media = media with { Channels = dops[1] };
            }

            return media with { Codec = MediaCodec.Opus, SampleRate = 48000 };
        }

        if (type == FourCc.Ulaw)
        {
            return media with { Codec = MediaCodec.Pcmu };
        }

        return type == FourCc.Alaw ? media with { Codec = MediaCodec.Pcma } : media;
    }
}
