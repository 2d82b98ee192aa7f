using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>Parsers for Imaging replies (ONVIF imaging.wsdl, <c>ver20/imaging/wsdl</c>).</summary>
public static class ImagingReplies
{
    public const string Namespace = "http://www.onvif.org/ver20/imaging/wsdl";

    /// <summary>Most modes read from one list (real cameras list 2–3).</summary>
    public const int MaxModes = 16;

    /// <summary>GetImagingSettings: the values the camera reports (each may be absent).</summary>
    public static ImagingSettings Settings(XElement body)
    {
        var s = OnvifXml.Expect(body, "GetImagingSettingsResponse").Child("ImagingSettings");
        // The extension settings sit three Extension levels down (tt:ImagingSettingsExtension203); found by name.
        var tone = Find(s, "ToneCompensation");
        var defog = Find(s, "Defogging");
        return new ImagingSettings(s.Child("Brightness").Double(), s.Child("ColorSaturation").Double(), s.Child("Contrast").Double(),
            s.Child("Sharpness").Double(), s.Child("IrCutFilter").Text(),
            s.Path("BacklightCompensation", "Mode").Text(), s.Path("WideDynamicRange", "Mode").Text(),
            s.Path("BacklightCompensation", "Level").Double(), s.Path("WideDynamicRange", "Level").Double())
        {
            NoiseReduction = Find(s, "NoiseReduction").Child("Level").Double(),
            ToneCompensation = tone.Child("Mode").Text(),
            ToneCompensationLevel = tone.Child("Level").Double(),
            Defogging = defog.Child("Mode").Text(),
            DefoggingLevel = defog.Child("Level").Double(),
        };
    }

    private static XElement? Find(XElement? parent, string localName) =>
        parent?.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>GetOptions: ranges and mode lists.</summary>
    public static ImagingOptions Options(XElement body)
    {
        var o = OnvifXml.Expect(body, "GetOptionsResponse").Child("ImagingOptions");
        static ImagingRange? Range(XElement? e) =>
            e.Child("Min").Double() is double min && e.Child("Max").Double() is double max && min <= max ? new ImagingRange(min, max) : null;
        static IReadOnlyList<string> Modes(IEnumerable<XElement> list) => list.Select(m => m.Text()).OfType<string>().Take(MaxModes).ToList();
        var tone = Find(o, "ToneCompensationOptions");
        var defog = Find(o, "DefoggingOptions");
        static ImagingRange? Level(XElement? options) => options.Child("Level").Bool() == true ? ImagingOptions.Normalised : null;
        return new ImagingOptions(Range(o.Child("Brightness")), Range(o.Child("ColorSaturation")), Range(o.Child("Contrast")),
            Range(o.Child("Sharpness")), Modes(o.Children("IrCutFilterModes")),
            Modes(o.Child("BacklightCompensation").Children("Mode")), Range(o.Child("BacklightCompensation").Child("Level")),
            Modes(o.Child("WideDynamicRange").Children("Mode")), Range(o.Child("WideDynamicRange").Child("Level")))
        {
            NoiseReduction = Level(Find(o, "NoiseReductionOptions")),
            ToneCompensationModes = Modes(tone.Children("Mode")),
            ToneCompensationLevel = Level(tone),
            DefoggingModes = Modes(defog.Children("Mode")),
            DefoggingLevel = Level(defog),
        };
    }
}
