using System.Globalization;
using LightNvr.Media.Rtp;

namespace LightNvr.Media.Sdp;

/// <summary>
/// One media description (an <c>m=</c> section), RFC 8866 §5.14:
/// <c>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c> and the lines under it.
/// </summary>
public sealed class SdpMediaDescription
{
    internal SdpMediaDescription(string media, int port, string protocol, IReadOnlyList<string> formats)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = formats;
    }

    /// <summary><c>video</c>, <c>audio</c>, <c>application</c>, …</summary>
    public string Media { get; }

    public int Port { get; }

    /// <summary><c>RTP/AVP</c>, <c>RTP/AVPF</c>, <c>RTP/SAVP</c>, …</summary>
    public string Protocol { get; }

    /// <summary>The format list: RTP payload type numbers as text.</summary>
    public IReadOnlyList<string> Formats { get; }

    public SdpConnection? Connection { get; internal set; }

    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>The <c>a=control</c> value (RFC 2326 §C.1.1), or null.</summary>
    public string? Control => GetAttribute("control");

    /// <summary>The value of the first attribute named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? GetAttribute(string name) =>
        Attributes.Find(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>
    /// The payload formats of this section in <c>m=</c> order: each format's <c>a=rtpmap</c> (RFC 8866 §6.6) and
    /// <c>a=fmtp</c> (§6.15), or the static assignment of RFC 3551 §6 for payload types sent without rtpmap.
    /// Formats that are neither (a dynamic type without rtpmap, a non-number) are left out.
    /// </summary>
    public IReadOnlyList<RtpPayloadFormat> GetPayloadFormats()
    {
        var result = new List<RtpPayloadFormat>();
        foreach (var format in Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127)
            {
                continue;
            }

            var fmtp = ParseFmtp(FindForPayloadType("fmtp", format));
            var rtpmap = FindForPayloadType("rtpmap", format);
            if (rtpmap is not null && TryParseRtpmap(rtpmap, out var name, out var clockRate, out var channels))
            {
                result.Add(new RtpPayloadFormat(pt, name, clockRate, channels, fmtp));
            }
            else if (StaticPayloadType(pt) is var (staticName, staticRate, staticChannels))
            {
                result.Add(new RtpPayloadFormat(pt, staticName, staticRate, staticChannels, fmtp));
            }
        }

        return result;
    }

    /// <summary>Static payload types of RFC 3551 §6 Table 4/5 that cameras use.</summary>
    private static (string Name, int ClockRate, int Channels)? StaticPayloadType(int pt) => pt switch
    {
        0 => ("PCMU", 8000, 1),
        3 => ("GSM", 8000, 1),
        8 => ("PCMA", 8000, 1),
        9 => ("G722", 8000, 1),
        10 => ("L16", 44100, 2),
        11 => ("L16", 44100, 1),
        14 => ("MPA", 90000, 1),
        26 => ("JPEG", 90000, 1),
        32 => ("MPV", 90000, 1),
        33 => ("MP2T", 90000, 1),
        _ => null,
    };

    /// <summary>Value of <c>a=name:PT rest</c> for payload type <paramref name="pt"/>: the <c>rest</c>.</summary>
    private string? FindForPayloadType(string name, string pt)
    {
        foreach (var a in Attributes)
        {
            if (!string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase) || a.Value is null)
            {
                continue;
            }

            var value = a.Value.AsSpan().TrimStart();
            var space = value.IndexOfAny(' ', '\t');
            var head = space < 0 ? value : value[..space];
            if (head.SequenceEqual(pt))
            {
                return space < 0 ? "" : value[(space + 1)..].Trim().ToString();
            }
        }

        return null;
    }

    /// <summary><c>&lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]</c>, RFC 8866 §6.6.</summary>
    private static bool TryParseRtpmap(string value, out string name, out int clockRate, out int channels)
    {
        var parts = value.Split('/');
        name = parts[0].Trim();
        clockRate = 0;
        channels = 1;
        if (parts.Length < 2 || name.Length == 0 ||
            !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out clockRate) ||
            clockRate <= 0)
        {
            return false;
        }

        if (parts.Length >= 3 &&
            (!int.TryParse(parts[2].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out channels) ||
             channels <= 0))
        {
            channels = 1;
        }

        return true;
    }

    /// <summary>
    /// <c>key=value;key=value</c> (the convention of RFC 6184 §8.1, RFC 7798 §7.1, RFC 3640 §4.1), keys lower-cased,
    /// values split at the first <c>=</c> only because base64 values end in <c>=</c> padding.
    /// </summary>
    private static Dictionary<string, string> ParseFmtp(string? value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is null)
        {
            return result;
        }

        foreach (var item in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? item : item[..eq]).Trim().ToLowerInvariant();
            if (key.Length > 0)
            {
                result[key] = eq < 0 ? "" : item[(eq + 1)..].Trim();
            }
        }

        return result;
    }
}
