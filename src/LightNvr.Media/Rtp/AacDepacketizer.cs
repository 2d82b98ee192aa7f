using LightNvr.Media.Codecs;
using LightNvr.Media.Codecs.Aac;

namespace LightNvr.Media.Rtp;

/// <summary>
/// MPEG-4 audio in <c>mpeg4-generic</c> (RFC 3640), the AAC-hbr and AAC-lbr modes cameras use: an AU-header section
/// (§3.2.1) with AU-size and AU-Index(-delta) fields of the fmtp's <c>sizelength</c>/<c>indexlength</c>/
/// <c>indexdeltalength</c> bits (plus CTS/DTS deltas, RAP and stream-state fields when the fmtp declares them),
/// then the access units. Several AUs per packet (§3.2.3.1) and one AU fragmented over several packets (§3.2.3.2).
/// One frame per AU; the n-th AU of a packet is at the packet timestamp + n·frame length (1024 or 960 samples).
/// </summary>
public sealed class AacDepacketizer : RtpDepacketizer
{
    /// <summary>An AU-size field is at most 16 bits wide in AAC-hbr (RFC 3640 §3.3.6 uses 13), so 64 KiB bounds an AU.</summary>
    public const int MaxAccessUnitBytes = 65535;

    /// <summary>RFC 3640 §3.2.1: field widths are up to 32 bits by the bit syntax, AU-size beyond 16 is not AAC.</summary>
    private const int MaxFieldBits = 16;

    private readonly int _sizeLength;
    private readonly int _indexLength;
    private readonly int _indexDeltaLength;
    private readonly int _ctsDeltaLength;
    private readonly int _dtsDeltaLength;
    private readonly int _streamStateLength;
    private readonly bool _randomAccess;
    private readonly int _auxLength;
    private readonly long _frameTicks;
    private byte[]? _fragment;
    private int _fragmentLength;
    private int _fragmentExpected;
    private long _fragmentTimestamp;
    private bool _waitForFragmentEnd;
    private bool _lossCounted;

    private AacDepacketizer(RtpPayloadFormat format, MediaTrack track, TimeProvider clock, Action<MediaFrame> onFrame,
        int sizeLength, int frameLength)
        : base(format, track, clock, onFrame)
    {
        _sizeLength = sizeLength;
        _indexLength = FmtpInt(format, "indexlength");
        _indexDeltaLength = FmtpInt(format, "indexdeltalength");
        _ctsDeltaLength = FmtpInt(format, "ctsdeltalength");
        _dtsDeltaLength = FmtpInt(format, "dtsdeltalength");
        _streamStateLength = FmtpInt(format, "streamstateindication");
        _randomAccess = FmtpInt(format, "randomaccessindication") == 1;
        _auxLength = FmtpInt(format, "auxiliarydatasizelength");
        var sampleRate = track.SampleRate > 0 ? track.SampleRate : track.ClockRate;
        _frameTicks = (long)frameLength * track.ClockRate / sampleRate;
    }

    /// <summary>Creates the depacketizer, or null with a reason when the fmtp lacks what RFC 3640 requires.</summary>
    public static AacDepacketizer? TryCreate(RtpPayloadFormat format, int trackId, TimeProvider clock,
        Action<MediaFrame> onFrame, out string? reason)
    {
        reason = null;
        var sizeLength = FmtpInt(format, "sizelength");
        if (sizeLength is <= 0 or > MaxFieldBits)
        {
            reason = "mpeg4-generic without a usable sizelength (only AAC-hbr/AAC-lbr are supported)";
            return null;
        }

        foreach (var key in (string[])["indexlength", "indexdeltalength", "ctsdeltalength", "dtsdeltalength", "streamstateindication", "auxiliarydatasizelength"])
        {
            if (FmtpInt(format, key) is < 0 or > MaxFieldBits)
            {
                reason = $"mpeg4-generic {key} out of range";
                return null;
            }
        }

        byte[]? config = null;
        AudioSpecificConfig asc = default;
        if (format.Fmtp.TryGetValue("config", out var hex) && AudioSpecificConfig.TryParseHex(hex, out asc, out var bytes))
        {
            config = bytes;
        }

        // RFC 3640 §4.1: the RTP clock is normally the sample rate; fall back to the config's when rtpmap lacks it.
        var clockRate = format.ClockRate > 0 ? format.ClockRate : config is not null ? asc.SampleRate : 0;
        if (clockRate <= 0)
        {
            reason = "mpeg4-generic without a clock rate or a config";
            return null;
        }

        var track = new MediaTrack
        {
            Id = trackId,
            Codec = MediaCodec.Aac,
            ClockRate = clockRate,
            AudioSpecificConfig = config,
            SampleRate = config is not null ? asc.SampleRate : clockRate,
            Channels = config is not null && asc.Channels > 0 ? asc.Channels : Math.Max(1, format.Channels),
        };
        return new AacDepacketizer(format, track, clock, onFrame, sizeLength, config is not null ? asc.FrameLength : 1024);
    }

    protected override void OnPacket(in RtpPacket packet, long timestamp)
    {
        var payload = packet.Payload;
        if (payload.Length < 2)
        {
            CountMalformed();
            return;
        }

        var headerBits = (payload[0] << 8) | payload[1];
        var headerBytes = (headerBits + 7) / 8;
        if (2 + headerBytes > payload.Length)
        {
            CountMalformed();
            DropFragment();
            return;
        }

        var headers = new BitReader(payload.Slice(2, headerBytes));
        var data = payload[(2 + headerBytes)..];
        if (_auxLength > 0)
        {
            var aux = new BitReader(data);
            var auxBits = (int)aux.ReadBits(_auxLength);
            var skip = (_auxLength + auxBits + 7) / 8;
            if (aux.Overrun || skip > data.Length)
            {
                CountMalformed();
                return;
            }

            data = data[skip..];
        }

        // First pass: validate every header so a malformed packet emits nothing.
        var count = 0;
        var total = 0L;
        var firstSize = 0;
        var probe = headers;
        while (probe.BitPosition + _sizeLength <= headerBits)
        {
            var size = ReadHeader(ref probe, count == 0);
            if (probe.Overrun || probe.BitPosition > headerBits)
            {
                CountMalformed();
                DropFragment();
                return;
            }

            firstSize = count == 0 ? size : firstSize;
            total += size;
            count++;
        }

        if (count == 0)
        {
            CountMalformed();
            DropFragment();
            return;
        }

        if (count == 1 && firstSize > data.Length)
        {
            if (_waitForFragmentEnd && _lossCounted && timestamp != _fragmentTimestamp)
            {
                _waitForFragmentEnd = false; // a new AU: the lost packets belonged to the one already dropped
            }

            if (_waitForFragmentEnd)
            {
                // The rest of an AU whose earlier fragment was lost: skip to its last fragment (marker).
                if (packet.Marker)
                {
                    _waitForFragmentEnd = false;
                    if (!_lossCounted)
                    {
                        CountDroppedFrame();
                    }
                }

                return;
            }

            AppendFragment(data, firstSize, timestamp, packet.Marker);
            return;
        }

        _waitForFragmentEnd = false;
        DropFragment();
        if (total > data.Length)
        {
            CountMalformed();
            return;
        }

        for (var i = 0; i < count; i++)
        {
            var size = ReadHeader(ref headers, i == 0);
            if (size == 0)
            {
                continue; // an empty AU carries nothing to decode
            }

            EmitFrame(timestamp + (i * _frameTicks), timestamp + (i * _frameTicks), 0, true, data[..size].ToArray());
            data = data[size..];
        }
    }

    protected override void OnDiscontinuity(int count)
    {
        _lossCounted = _fragmentLength > 0;
        DropFragment();
        _waitForFragmentEnd = true;
    }

    private void AppendFragment(ReadOnlySpan<byte> data, int auSize, long timestamp, bool marker)
    {
        if (_fragmentLength > 0 && (timestamp != _fragmentTimestamp || auSize != _fragmentExpected))
        {
            DropFragment();
        }

        if (auSize > MaxAccessUnitBytes || _fragmentLength + data.Length > auSize)
        {
            CountMalformed();
            DropFragment();
            return;
        }

        _fragment ??= new byte[MaxAccessUnitBytes];
        _fragmentExpected = auSize;
        _fragmentTimestamp = timestamp;
        data.CopyTo(_fragment.AsSpan(_fragmentLength));
        _fragmentLength += data.Length;
        if (_fragmentLength == auSize)
        {
            EmitFrame(timestamp, timestamp, 0, true, _fragment.AsSpan(0, auSize).ToArray());
            _fragmentLength = 0;
        }
        else if (marker)
        {
            CountMalformed(); // the last fragment came short
            DropFragment();
        }
    }

    private void DropFragment()
    {
        if (_fragmentLength > 0)
        {
            CountDroppedFrame();
        }

        _fragmentLength = 0;
    }

    private int ReadHeader(ref BitReader r, bool first)
    {
        var size = (int)r.ReadBits(_sizeLength);
        r.Skip(first ? _indexLength : _indexDeltaLength);
        if (_ctsDeltaLength > 0 && !first && r.ReadFlag())
        {
            r.Skip(_ctsDeltaLength);
        }

        if (_dtsDeltaLength > 0 && r.ReadFlag())
        {
            r.Skip(_dtsDeltaLength);
        }

        if (_randomAccess)
        {
            r.Skip(1);
        }

        r.Skip(_streamStateLength);
        return size;
    }

    private static int FmtpInt(RtpPayloadFormat format, string key) =>
        format.Fmtp.TryGetValue(key, out var value) && int.TryParse(value, out var n) ? n : 0;
}
