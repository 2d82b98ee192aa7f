using System.Buffers.Binary;
using LightNvr.Media.Codecs;
using LightNvr.Media.Codecs.H264;

namespace LightNvr.Media.Rtp;

/// <summary>
/// H.264 RTP payload (RFC 6184) in non-interleaved mode: single NAL unit packets (§5.6), STAP-A (§5.7.1) and FU-A
/// (§5.8). STAP-B, MTAP and FU-B belong to the interleaved mode cameras do not use and are counted as malformed.
/// IDR pictures are keyframes; access unit delimiters and filler data are dropped; SPS/PPS come from
/// <c>sprop-parameter-sets</c> (§8.1) and in-band, and a change publishes a new track.
/// </summary>
public sealed class H264Depacketizer : VideoDepacketizer
{
    /// <summary>A slice header's first three fields fit in far fewer bytes; more only costs copying.</summary>
    private const int SliceHeaderBytes = 16;

    private readonly HashSet<uint> _ppsIds = [];
    private byte[]? _sps;
    private byte[]? _pps;
    private bool _changed;

    public H264Depacketizer(RtpPayloadFormat format, int trackId, TimeProvider clock, Action<MediaFrame> onFrame)
        : base(format, InitialTrack(format, trackId), clock, onFrame)
    {
        _sps = Track.Sps;
        _pps = Track.Pps;
        RememberPpsId(_pps);
        ApplySps(_sps);
    }

    /// <summary>The track an SDP describes: parameter sets from <c>sprop-parameter-sets</c> when present and valid.</summary>
    public static MediaTrack InitialTrack(RtpPayloadFormat format, int trackId)
    {
        byte[]? sps = null, pps = null;
        if (format.Fmtp.TryGetValue("sprop-parameter-sets", out var sprop))
        {
            foreach (var nal in SpropParameterSets.Decode(sprop))
            {
                switch ((H264NalUnitType)(nal[0] & 0x1F))
                {
                    case H264NalUnitType.Sps when sps is null && H264SequenceParameterSet.TryParse(nal, out _):
                        sps = nal;
                        break;
                    case H264NalUnitType.Pps when pps is null:
                        pps = nal;
                        break;
                }
            }
        }

        return BuildTrack(trackId, format.ClockRate > 0 ? format.ClockRate : 90000, sps, pps);
    }

    private protected override bool Depacketize(ReadOnlySpan<byte> payload, AccessUnitAssembler au)
    {
        if (payload.Length < 1 || (payload[0] & 0x80) != 0)
        {
            return false; // forbidden_zero_bit set (RFC 6184 §5.3)
        }

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                return AddNal(au, payload);
            case (int)H264NalUnitType.StapA:
                for (var rest = payload[1..]; rest.Length > 0;)
                {
                    if (rest.Length < 2)
                    {
                        return false;
                    }

                    var size = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    // Aggregated units are plain NAL units (types 1–23), never nested packets (RFC 6184 §5.7).
                    if (size == 0 || size > rest.Length - 2 || (rest[2] & 0x1F) is 0 or >= 24
                        || !AddNal(au, rest.Slice(2, size)))
                    {
                        return false;
                    }

                    rest = rest[(2 + size)..];
                }

                return true;
            case (int)H264NalUnitType.FuA:
                if (payload.Length < 3)
                {
                    return false;
                }

                var header = payload[1];
                if ((header & 0x1F) is 0 or >= 24 || (header & 0xC0) == 0xC0)
                {
                    // A fragment must carry a plain NAL unit type, and start and end must not both be set: a whole
                    // NAL unit in one FU-A is malformed (RFC 6184 §5.8; gortsplib rejects it too).
                    return false;
                }

                if ((header & 0x80) != 0)
                {
                    if (au.InFragment)
                    {
                        au.AbortFragment(); // the previous FU-A never ended
                        return false;
                    }

                    ReadOnlySpan<byte> nalHeader = [(byte)((payload[0] & 0xE0) | (header & 0x1F))];
                    if (!au.TryBeginFragment(nalHeader))
                    {
                        return false;
                    }
                }
                else if (!au.InFragment)
                {
                    return true; // a fragment whose start we never saw (joined mid-NAL or after a loss)
                }

                if (!au.TryAppendFragment(payload[2..]))
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
        if (payload.Length < 2)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        int nalType;
        int firstPayloadByte;
        if (type == (int)H264NalUnitType.StapA)
        {
            if (payload.Length < 5)
            {
                return false;
            }

            nalType = payload[3] & 0x1F;
            firstPayloadByte = payload[4];
        }
        else if (type == (int)H264NalUnitType.FuA)
        {
            if ((payload[1] & 0x80) == 0 || payload.Length < 3)
            {
                return false;
            }

            nalType = payload[1] & 0x1F;
            firstPayloadByte = payload[2];
        }
        else
        {
            nalType = type;
            firstPayloadByte = payload[1];
        }

        return nalType switch
        {
            // A slice with first_mb_in_slice = 0 (ue(v) "1" is 0, H.264 §7.3.3) starts a picture.
            1 or 5 => (firstPayloadByte & 0x80) != 0,
            6 or 7 or 8 or 9 => true,
            _ => false,
        };
    }

    protected override bool OnNalUnit(ReadOnlySpan<byte> nal)
    {
        switch ((H264NalUnitType)(nal[0] & 0x1F))
        {
            case H264NalUnitType.AccessUnitDelimiter or H264NalUnitType.FillerData:
                return false;
            case H264NalUnitType.IdrSlice:
                if (!IsIntraIdr(nal))
                {
                    MarkMalformed();
                    return false;
                }

                MarkPicture(isKey: true);
                return true;
            case H264NalUnitType.NonIdrSlice or H264NalUnitType.SliceDataPartitionA:
                MarkPicture(isKey: false);
                return true;
            case H264NalUnitType.Sps:
                if ((_sps is null || !nal.SequenceEqual(_sps)) && H264SequenceParameterSet.TryParse(nal, out _))
                {
                    _sps = nal.ToArray();
                    _changed = true;
                }

                return true;
            case H264NalUnitType.Pps:
                if (_pps is null || !nal.SequenceEqual(_pps))
                {
                    _pps = nal.ToArray();
                    _changed = true;
                    RememberPpsId(_pps);
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>
    /// What H.264 requires of every IDR slice and decoders check (ffmpeg refuses "a non-intra slice in an IDR NAL
    /// unit"): nal_ref_idc is not 0 (§7.4.1), slice_type is I or SI (2, 4, 7, 9; §7.4.3), and pic_parameter_set_id
    /// names a PPS the camera sent, when it sent any. Random bytes that happen to say "IDR" pass about once in 16, so a
    /// camera sending garbage rarely makes a keyframe that starts a segment (issue 11, GarbageCameraTests).
    /// frame_num = 0 is required too, but nothing here knows a decoder that refuses it, so it is not asked.
    /// </summary>
    private bool IsIntraIdr(ReadOnlySpan<byte> nal)
    {
        if ((nal[0] & 0x60) == 0)
        {
            return false;
        }

        Span<byte> rbsp = stackalloc byte[SliceHeaderBytes];
        var length = EmulationPrevention.Remove(nal[1..], rbsp);
        var r = new BitReader(rbsp[..length]);
        _ = r.ReadUe(); // first_mb_in_slice
        var sliceType = r.ReadUe();
        var ppsId = r.ReadUe();
        return !r.Overrun && sliceType is 2 or 4 or 7 or 9 && (_ppsIds.Count == 0 || _ppsIds.Contains(ppsId));
    }

    /// <summary>Keeps the id of a PPS (its first field, ue(v)); ids past 255 are not valid (§7.4.2.2) and are not kept.</summary>
    private void RememberPpsId(byte[]? pps)
    {
        if (pps is null || pps.Length < 2)
        {
            return;
        }

        Span<byte> rbsp = stackalloc byte[8];
        var r = new BitReader(rbsp[..EmulationPrevention.Remove(pps.AsSpan(1), rbsp)]);
        var id = r.ReadUe();
        if (!r.Overrun && id <= 255)
        {
            _ppsIds.Add(id);
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
        return BuildTrack(Track.Id, Track.ClockRate, _sps, _pps);
    }

    private static MediaTrack BuildTrack(int id, int clockRate, byte[]? sps, byte[]? pps)
    {
        var parsed = default(H264SequenceParameterSet);
        var hasSps = sps is not null && H264SequenceParameterSet.TryParse(sps, out parsed);
        return new MediaTrack
        {
            Id = id,
            Codec = MediaCodec.H264,
            ClockRate = clockRate,
            Sps = sps,
            Pps = pps,
            Width = hasSps ? parsed.Width : 0,
            Height = hasSps ? parsed.Height : 0,
        };
    }

    private void ApplySps(byte[]? sps)
    {
        if (sps is null || !H264SequenceParameterSet.TryParse(sps, out var parsed))
        {
            Dts.SetReorderDepth(-1);
            return;
        }

        Dts.SetReorderDepth(parsed.ReorderDepth);
        if (parsed.FrameRate is > 0 and < 1000)
        {
            Dts.FrameDuration = (long)Math.Round(Track.ClockRate / parsed.FrameRate);
        }
    }
}
