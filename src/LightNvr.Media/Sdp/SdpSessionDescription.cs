using System.Globalization;
using System.Text;

namespace LightNvr.Media.Sdp;

/// <summary>
/// A session description, RFC 8866 §5: the session part (<c>v= o= s= c= t= a=</c>) and its media descriptions.
/// Parsing is lenient where cameras are sloppy (bare LF line ends, missing <c>v=</c>/<c>t=</c>, unknown line types,
/// trailing spaces) and strict where a wrong answer would follow (bad <c>m=</c> lines, limits of <see cref="SdpLimits"/>).
/// </summary>
public sealed class SdpSessionDescription
{
    public int Version { get; private set; }

    /// <summary>The <c>o=</c> line as sent.</summary>
    public string? Origin { get; private set; }

    /// <summary>The <c>s=</c> line.</summary>
    public string? SessionName { get; private set; }

    public SdpConnection? Connection { get; private set; }

    public List<SdpAttribute> Attributes { get; } = [];

    public List<SdpMediaDescription> Media { get; } = [];

    /// <summary>Session-level <c>a=control</c> (RFC 2326 §C.1.1): the aggregate control URL, or null.</summary>
    public string? Control => GetAttribute("control");

    public string? GetAttribute(string name) =>
        Attributes.Find(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Parses UTF-8 SDP text (RFC 8866 §5: "The SDP ... is UTF-8 by default").</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out SdpSessionDescription? session, out string? error)
    {
        if (utf8.Length > SdpLimits.MaxLength)
        {
            session = null;
            error = $"SDP longer than {SdpLimits.MaxLength} bytes";
            return false;
        }

        return TryParse(Encoding.UTF8.GetString(utf8), out session, out error);
    }

    public static bool TryParse(string text, out SdpSessionDescription? session, out string? error)
    {
        session = null;
        error = null;
        if (text.Length > SdpLimits.MaxLength)
        {
            error = $"SDP longer than {SdpLimits.MaxLength} characters";
            return false;
        }

        var result = new SdpSessionDescription();
        SdpMediaDescription? media = null;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r', ' ', '\t');
            if (line.Length == 0)
            {
                continue;
            }

            // <type>=<value> (RFC 8866 §5); a type is one letter. Lines of other shapes are skipped.
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetter(line[0]))
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'v':
                    if (media is null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    {
                        result.Version = v;
                    }

                    break;
                case 'o' when media is null:
                    result.Origin = value;
                    break;
                case 's' when media is null:
                    result.SessionName = value;
                    break;
                case 'c':
                    var connection = SdpConnection.Parse(value);
                    if (media is null)
                    {
                        result.Connection = connection;
                    }
                    else
                    {
                        media.Connection = connection;
                    }

                    break;
                case 'a':
                    var attributes = media?.Attributes ?? result.Attributes;
                    if (attributes.Count >= SdpLimits.MaxAttributesPerSection)
                    {
                        error = $"line {lineNumber}: more than {SdpLimits.MaxAttributesPerSection} attributes";
                        return false;
                    }

                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    attributes.Add(colon < 0 ? new SdpAttribute(value, null) : new SdpAttribute(value[..colon], value[(colon + 1)..]));
                    break;
                case 'm':
                    if (result.Media.Count >= SdpLimits.MaxMediaDescriptions)
                    {
                        error = $"line {lineNumber}: more than {SdpLimits.MaxMediaDescriptions} media descriptions";
                        return false;
                    }

                    media = ParseMediaLine(value, lineNumber, out error);
                    if (media is null)
                    {
                        return false;
                    }

                    result.Media.Add(media);
                    break;
            }
        }

        session = result;
        return true;
    }

    /// <summary><c>m=&lt;media&gt; &lt;port&gt;[/&lt;n&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c>, RFC 8866 §5.14.</summary>
    private static SdpMediaDescription? ParseMediaLine(string value, int lineNumber, out string? error)
    {
        error = null;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            error = $"line {lineNumber}: m= line needs media, port and proto";
            return null;
        }

        var portText = parts[1];
        var slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"line {lineNumber}: bad port in m= line";
            return null;
        }

        if (parts.Length - 3 > SdpLimits.MaxFormatsPerMedia)
        {
            error = $"line {lineNumber}: more than {SdpLimits.MaxFormatsPerMedia} formats";
            return null;
        }

        return new SdpMediaDescription(parts[0], port, parts[2], parts[3..]);
    }
}
