using System.Globalization;
using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// Reading ONVIF replies by local name. Cameras use any prefixes and, in the wild, sometimes the wrong schema
/// version's namespace for the same element (tt: ver10 vs ver20), so the parsers match local names within the
/// operation's reply element instead of full names; the element structure is the WSDL's.
/// </summary>
public static class OnvifXml
{
    public static XElement? Child(this XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Children(this XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    /// <summary>The element at the path of local names under <paramref name="parent"/>.</summary>
    public static XElement? Path(this XElement? parent, params string[] localNames)
    {
        var current = parent;
        foreach (var name in localNames)
        {
            current = current.Child(name);
        }
        return current;
    }

    public static string? Text(this XElement? element) => element?.Value.Trim() is { Length: > 0 } v ? v : null;

    public static int? Int(this XElement? element) =>
        int.TryParse(element.Text(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The integer in child <paramref name="child"/> (element, or attribute for Media2's RateControl).</summary>
    public static int? Int(this XElement? parent, string child) =>
        parent.Child(child).Int() ?? (Number(parent.Attr(child)) is double d ? (int)Math.Round(d) : null);

    public static double? Double(this XElement? element) => Number(element?.Value);

    public static double? Number(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static bool? Bool(this XElement? element) => element.Text() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };

    public static string? Attr(this XElement? element, string localName) =>
        element?.Attributes().FirstOrDefault(a => a.Name.LocalName == localName)?.Value;

    /// <summary>An absolute http(s) URI, or null (cameras send empty or relative XAddrs).</summary>
    public static Uri? HttpUri(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri : null;

    /// <summary>Checks the reply is the expected operation's response, else <see cref="OnvifErrorKind.BadReply"/>.</summary>
    public static XElement Expect(XElement body, string responseName)
    {
        if (body.Name.LocalName != responseName)
        {
            throw new OnvifException(OnvifErrorKind.BadReply, $"expected {responseName}, the camera sent {body.Name.LocalName}");
        }
        return body;
    }
}
