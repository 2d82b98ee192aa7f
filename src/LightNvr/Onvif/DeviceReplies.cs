using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>Parsers for Device Management replies (ONVIF devicemgmt.wsdl, namespace <c>ver10/device/wsdl</c>).</summary>
public static class DeviceReplies
{
    public const string Namespace = "http://www.onvif.org/ver10/device/wsdl";

    /// <summary>Most services a GetServices reply may list that are read (a real camera lists about 12).</summary>
    public const int MaxServices = 64;

    /// <summary>The camera's UTC clock (tt:SystemDateTime/UTCDateTime), or null when it sent only local time.</summary>
    public static DateTimeOffset? SystemDateAndTime(XElement body)
    {
        var utc = OnvifXml.Expect(body, "GetSystemDateAndTimeResponse").Path("SystemDateAndTime", "UTCDateTime");
        var date = utc.Child("Date");
        var time = utc.Child("Time");
        if (date.Int("Year") is not int year || date.Int("Month") is not int month || date.Int("Day") is not int day)
        {
            return null;
        }
        try
        {
            return new DateTimeOffset(year, month, day, time.Int("Hour") ?? 0, time.Int("Minute") ?? 0, time.Int("Second") ?? 0, TimeSpan.Zero);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public static OnvifDeviceInformation DeviceInformation(XElement body)
    {
        var reply = OnvifXml.Expect(body, "GetDeviceInformationResponse");
        return new OnvifDeviceInformation(reply.Child("Manufacturer").Text() ?? "", reply.Child("Model").Text() ?? "",
            reply.Child("FirmwareVersion").Text() ?? "", reply.Child("SerialNumber").Text() ?? "", reply.Child("HardwareId").Text() ?? "");
    }

    public static OnvifCapabilities Capabilities(XElement body)
    {
        var caps = OnvifXml.Expect(body, "GetCapabilitiesResponse").Child("Capabilities");
        var media2 = caps.Path("Extension", "Media2") ?? caps.Child("Media2");
        return new OnvifCapabilities(
            OnvifXml.HttpUri(caps.Path("Device", "XAddr").Text()),
            OnvifXml.HttpUri(caps.Path("Media", "XAddr").Text()),
            OnvifXml.HttpUri(media2.Child("XAddr").Text()),
            OnvifXml.HttpUri(caps.Path("PTZ", "XAddr").Text()),
            OnvifXml.HttpUri(caps.Path("Imaging", "XAddr").Text()),
            OnvifXml.HttpUri(caps.Path("Events", "XAddr").Text()),
            caps.Path("Events", "WSPullPointSupport").Bool() ?? false);
    }

    /// <summary>GetServices: each service's namespace and XAddr, mapped onto the same record.</summary>
    public static OnvifCapabilities Services(XElement body)
    {
        var services = OnvifXml.Expect(body, "GetServicesResponse").Children("Service").Take(MaxServices)
            .Select(s => (Ns: s.Child("Namespace").Text() ?? "", Uri: OnvifXml.HttpUri(s.Child("XAddr").Text())))
            .Where(s => s.Uri is not null).ToList();
        Uri? Find(string ns) => services.FirstOrDefault(s => s.Ns == ns).Uri;
        var events = Find("http://www.onvif.org/ver10/events/wsdl");
        return new OnvifCapabilities(Find(Namespace), Find(MediaReplies.Namespace), Find(MediaReplies.Media2Namespace),
            Find(PtzReplies.Namespace), Find(ImagingReplies.Namespace), events, events is not null);
    }

    /// <summary>GetScopes: the scope URIs (<c>onvif://www.onvif.org/name/…</c>, <c>…/hardware/…</c>).</summary>
    public static IReadOnlyList<string> Scopes(XElement body) =>
        OnvifXml.Expect(body, "GetScopesResponse").Children("Scopes").Select(s => s.Child("ScopeItem").Text())
            .OfType<string>().Take(MaxServices).ToList();
}
