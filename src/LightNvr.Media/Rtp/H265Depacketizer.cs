using System.Buffers.Binary;
using LightNvr.Media.Codecs.H265;

namespace LightNvr.Media.Rtp;

/// <summary>
/// H.265 RTP payload (RFC 7798): single NAL unit packets (§4.4.1), aggregation packets (§4.4.2) and fragmentation
/// units (§4.4.3); PACI (§4.4.4) is counted as malformed. When <c>sprop-max-don-diff</c> &gt; 0 the DONL/DOND
/// fields are present and skipped (decoding order equals transmission order for a single stream).
/// IRAP pictures (types 16–23) are keyframes; VPS/SPS/PPS come from <c>sprop-vps/sps/pps</c> and in-band.
/// </summary>
public sealed class H265Depacketizer : VideoDepacketizer
{
    private readonly bool _donPresent;
    private byte[]? _vps;
    private byte[]? _sps;
    private byte[]? _pps;
    private bool _changed;

    public H265Depacketizer(RtpPayloadFormat format, int trackId, TimeProvider clock, Action<MediaFrame> onFrame)
        : base(format, InitialTrack(format, trackId), clock, onFrame)
    {
        _donPresent = format.Fmtp.TryGetValue("sprop-max-don-diff", out var don) && int.TryParse(don, out var d) && d > 0;
        _vps = Track.Vps;
        _sps = Track.Sps;
        _pps = Track.Pps;
        ApplySps(_sps);
    }

    public static MediaTrack InitialTrack(RtpPayloadFormat format, int trackId) =>
        BuildTrack(trackId, format.ClockRate > 0 ? format.ClockRate : 90000,
            First(format, "sprop-vps", H265NalUnitType.Vps), First(format, "sprop-sps", H265NalUnitType.Sps),
            First(format, "sprop-pps", H265NalUnitType.Pps));

    private protected override bool Depacketize(ReadOnlySpan<byte> payload, AccessUnitAssembler au)
    {
        if (payload.Length < 3 || (payload[0] & 0x80) != 0)
        {
            return false;
        }

        var type = (payload[0] >> 1) & 0x3F;
        switch (type)
        {
            case < 48:
                if (_donPresent)
                {
                    // §4.4.1: DONL sits between the payload header and the NAL unit payload.
                    if (payload.Length < 5)
                    {
                        return false;
                    }

                    if (au.InFragment || !au.TryBeginFragment(payload[..2]) || !au.TryAppendFragment(payload[4..]))
                    {
                        return false;
                    }

                    EndFragment(au);
                    return true;
                }

                return AddNal(au, payload);
            case (int)H265NalUnitType.AggregationPacket:
                var rest = payload[2..];
                var first = true;
                while (rest.Length > 0)
                {
                    if (_donPresent)
                    {
                        var donBytes = first ? 2 : 1; // DONL, then DOND (§4.4.2)
                        if (rest.Length < donBytes)
                        {
                            return false;
                        }

                        rest = rest[donBytes..];
                    }

                    if (rest.Length < 2)
                    {
                        return false;
                    }

                    var size = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    // Aggregated units are NAL units (types 0–47), never nested packets (RFC 7798 §4.4.2).
                    if (size < 2 || size > rest.Length - 2 || ((rest[2] >> 1) & 0x3F) >= 48
                        || !AddNal(au, rest.Slice(2, size)))
                    {
                        return false;
                    }

                    rest = rest[(2 + size)..];
                    first = false;
                }

                return true;
            case (int)H265NalUnitType.FragmentationUnit:
                var header = payload[2];
                var data = payload[3..];
                if ((header & 0x3F) >= 48 || (header & 0xC0) == 0xC0)
                {
                    return false; // a NAL unit type, and not both start and end (RFC 7798 §4.4.3)
                }

                if ((header & 0x80) != 0)
                {
                    if (au.InFragment)
                    {
                        au.AbortFragment();
                        return false;
                    }

                    if (_donPresent)
                    {
                        if (data.Length < 2)
                        {
                            return false;
                        }

                        data = data[2..];
                    }

                    ReadOnlySpan<byte> nalHeader = [(byte)((payload[0] & 0x81) | ((header & 0x3F) << 1)), payload[1]];
                    if (!au.TryBeginFragment(nalHeader))
                    {
                        return false;
                    }
                }
                else if (!au.InFragment)
                {
                    return true;
                }

                if (!au.TryAppendFragment(data))
                {
                    return false;
                }

                if ((header & 0x40) != 0)
                {
                    EndFragment(au);
                }

                return true;
            default:
                return false;
        }
    }

    protected override bool StartsAccessUnit(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 3)
        {
            return false;
        }

        var type = (payload[0] >> 1) & 0x3F;
        var skip = _donPresent ? 2 : 0;
        int nalType;
        byte firstPayloadByte;
        if (type == (int)H265NalUnitType.AggregationPacket)
        {
            var offset = 2 + skip + 2;
            if (payload.Length < offset + 3)
            {
                return false;
            }

            nalType = (payload[offset] >> 1) & 0x3F;
            firstPayloadByte = payload[offset + 2];
        }
        else if (type == (int)H265NalUnitType.FragmentationUnit)
        {
            if ((payload[2] & 0x80) == 0 || payload.Length < 4 + skip)
            {
                return false;
            }

            nalType = payload[2] & 0x3F;
            firstPayloadByte = payload[3 + skip];
        }
        else
        {
            if (payload.Length < 3 + skip)
            {
                return false;
            }

            nalType = type;
            firstPayloadByte = payload[2 + skip];
        }

        // A VCL NAL with first_slice_segment_in_pic_flag (H.265 §7.3.6.1) or a non-VCL prefix starts a picture.
        return nalType < 32 ? (firstPayloadByte & 0x80) != 0 : nalType is >= 32 and <= 35 or 39;
    }

    protected override bool OnNalUnit(ReadOnlySpan<byte> nal)
    {
        if (nal.Length < 2)
        {
            return false;
        }

        var type = (nal[0] >> 1) & 0x3F;
        switch (type)
        {
            case (int)H265NalUnitType.AccessUnitDelimiter or (int)H265NalUnitType.FillerData:
                return false;
            case < 32:
                MarkPicture(isKey: type is >= 16 and <= 23);
                return true;
            case (int)H265NalUnitType.Vps:
                Remember(ref _vps, nal, H265VideoParameterSet.TryParse(nal, out _));
                return true;
            case (int)H265NalUnitType.Sps:
                Remember(ref _sps, nal, H265SequenceParameterSet.TryParse(nal, out _));
                return true;
            case (int)H265NalUnitType.Pps:
                Remember(ref _pps, nal, true);
                return true;
            default:
                return true;
        }
    }

    protected override MediaTrack? TakeTrackUpdate()
    {
        if (!_changed)
        {
            return null;
        }

        _changed = false;
        ApplySps(_sps);
        return BuildTrack(Track.Id, Track.ClockRate, _vps, _sps, _pps);
    }

    private void Remember(ref byte[]? field, ReadOnlySpan<byte> nal, bool valid)
    {
        if (valid && (field is null || !nal.SequenceEqual(field)))
        {
            field = nal.ToArray();
            _changed = true;
        }
    }

    private void ApplySps(byte[]? sps)
    {
        var parsed = default(H265SequenceParameterSet);
        var known = sps is not null && H265SequenceParameterSet.TryParse(sps, out parsed);
        Dts.SetReorderDepth(known ? parsed.MaxNumReorderPics : -1);
    }

    private static byte[]? First(RtpPayloadFormat format, string key, H265NalUnitType type)
    {
        if (!format.Fmtp.TryGetValue(key, out var value))
        {
            return null;
        }

        foreach (var nal in SpropParameterSets.Decode(value))
        {
            if (nal.Length >= 2 && ((nal[0] >> 1) & 0x3F) == (int)type)
            {
                return nal;
            }
        }

        return null;
    }

    private static MediaTrack BuildTrack(int id, int clockRate, byte[]? vps, byte[]? sps, byte[]? pps)
    {
        var parsed = default(H265SequenceParameterSet);
        var hasSps = sps is not null && H265SequenceParameterSet.TryParse(sps, out parsed);
        return new MediaTrack
        {
            Id = id,
            Codec = MediaCodec.H265,
            ClockRate = clockRate,
            Vps = vps,
            Sps = sps,
            Pps = pps,
            Width = hasSps ? parsed.Width : 0,
            Height = hasSps ? parsed.Height : 0,
        };
    }
}
