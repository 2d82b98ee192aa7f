using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// A SOAP fault (SOAP 1.2 §5.4: Code/Value, nested Subcode/Value, Reason/Text; SOAP 1.1: faultcode, faultstring) and
/// what it means to a user. ONVIF Core §5.11.2 lists the subcodes: <c>ter:NotAuthorized</c> (and WS-Security's
/// <c>wsse:FailedAuthentication</c>) mean a wrong password, <c>ter:ActionNotSupported</c> and the
/// <c>…NotSupported</c>/<c>NoSuch…</c> family mean the camera does not do it.
/// </summary>
public sealed record SoapFault(string Code, IReadOnlyList<string> Subcodes, string Reason)
{
    /// <summary>Longest reason kept in a message (a camera may put a stack trace there).</summary>
    public const int MaxReasonLength = 200;

    public static SoapFault Parse(XElement fault)
    {
        var code = Child(fault, "Code");
        if (code is not null)
        {
            var subcodes = new List<string>();
            for (var sub = Child(code, "Subcode"); sub is not null && subcodes.Count < 8; sub = Child(sub, "Subcode"))
            {
                subcodes.Add(LocalPart(Child(sub, "Value")?.Value));
            }
            var reason = Child(fault, "Reason")?.Elements().FirstOrDefault()?.Value ?? "";
            return new SoapFault(LocalPart(Child(code, "Value")?.Value), subcodes, Trim(reason));
        }
        var faultCode = LocalPart(Child(fault, "faultcode")?.Value);
        return new SoapFault(faultCode, [], Trim(Child(fault, "faultstring")?.Value ?? ""));
    }

    public bool IsAuthentication => Matches("NotAuthorized", "FailedAuthentication", "FailedCheck", "InvalidSecurity",
        "SecurityTokenUnavailable", "Sender.NotAuthorized") || Reason.Contains("not authorized", StringComparison.OrdinalIgnoreCase)
        || Reason.Contains("authentication fail", StringComparison.OrdinalIgnoreCase);

    public bool IsNotSupported => Matches("ActionNotSupported", "NotSupported", "NoSuchService", "ServiceNotSupported",
        "InvalidAction", "ActionNotAvailable", "NoPTZProfile", "NoImagingForSource");

    public OnvifException ToException()
    {
        if (IsAuthentication)
        {
            return OnvifException.WrongPassword();
        }
        var what = Reason.Length > 0 ? Reason : string.Join('/', Subcodes.Prepend(Code));
        return IsNotSupported
            ? OnvifException.NotSupported(what)
            : new OnvifException(OnvifErrorKind.Fault, $"the camera answered with a SOAP fault: {what}");
    }

    private bool Matches(params string[] names) =>
        Subcodes.Append(Code).Any(c => names.Any(n => c.Equals(n, StringComparison.OrdinalIgnoreCase) ||
            c.EndsWith(n, StringComparison.OrdinalIgnoreCase)));

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string LocalPart(string? qname)
    {
        var value = (qname ?? "").Trim();
        var colon = value.LastIndexOf(':');
        return colon >= 0 ? value[(colon + 1)..] : value;
    }

    private static string Trim(string reason)
    {
        var value = string.Join(' ', reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return value.Length > MaxReasonLength ? value[..MaxReasonLength] + "…" : value;
    }
}
