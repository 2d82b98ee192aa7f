using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>Parsers for Imaging replies (ONVIF imaging.wsdl, <c>ver20/imaging/wsdl</c>).</summary>
public static class ImagingReplies
{
    public const string Namespace = "http://www.onvif.org/ver20/imaging/wsdl";

    /// <summary>GetImagingSettings: the values the camera reports (each may be absent).</summary>
    public static ImagingSettings Settings(XElement body)
    {
        var s = OnvifXml.Expect(body, "GetImagingSettingsResponse").Child("ImagingSettings");
        return new ImagingSettings(s.Child("Brightness").Double(), s.Child("ColorSaturation").Double(), s.Child("Contrast").Double(),
            s.Child("Sharpness").Double(), s.Child("IrCutFilter").Text(),
            s.Path("BacklightCompensation", "Mode").Text(), s.Path("WideDynamicRange", "Mode").Text());
    }
}
