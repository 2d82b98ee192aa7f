using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>Parsers for Media (Profile S, <c>ver10/media/wsdl</c>) and Media2 (<c>ver20/media/wsdl</c>) replies.</summary>
public static class MediaReplies
{
    public const string Namespace = "http://www.onvif.org/ver10/media/wsdl";
    public const string Media2Namespace = "http://www.onvif.org/ver20/media/wsdl";

    /// <summary>Most profiles read from one camera (upstream keeps 32; real cameras have 2–6).</summary>
    public const int MaxProfiles = 32;

    /// <summary>Media GetProfiles, or Media2 GetProfiles (Configurations/VideoEncoder instead of VideoEncoderConfiguration).</summary>
    public static IReadOnlyList<OnvifProfile> Profiles(XElement body)
    {
        var reply = OnvifXml.Expect(body, "GetProfilesResponse");
        var profiles = new List<OnvifProfile>();
        foreach (var p in reply.Children("Profiles").Take(MaxProfiles))
        {
            var token = p.Attr("token");
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }
            var configs = p.Child("Configurations") ?? p;
            var source = configs.Child("VideoSourceConfiguration") ?? configs.Child("VideoSource");
            var encoder = configs.Child("VideoEncoderConfiguration") ?? configs.Child("VideoEncoder");
            var rate = encoder.Child("RateControl");
            var fps = rate.Int("FrameRateLimit");
            profiles.Add(new OnvifProfile(
                token,
                p.Child("Name").Text() ?? token,
                source.Child("SourceToken").Text(),
                encoder.Child("Encoding").Text(),
                encoder.Child("Resolution").Int("Width") ?? 0,
                encoder.Child("Resolution").Int("Height") ?? 0,
                fps ?? 0,
                rate.Int("BitrateLimit") ?? 0,
                (configs.Child("PTZConfiguration") ?? configs.Child("PTZ")).Attr("token")));
        }
        return profiles;
    }

    /// <summary>GetStreamUri / GetSnapshotUri (Media: MediaUri/Uri; Media2: Uri).</summary>
    public static string Uri(XElement body)
    {
        if (body.Name.LocalName is not ("GetStreamUriResponse" or "GetSnapshotUriResponse"))
        {
            throw new OnvifException(OnvifErrorKind.BadReply, $"expected a URI reply, the camera sent {body.Name.LocalName}");
        }
        return (body.Path("MediaUri", "Uri") ?? body.Child("Uri")).Text()
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's URI reply holds no URI");
    }

    /// <summary>GetVideoSources: the video source tokens (imaging and day/night address a source, not a profile).</summary>
    public static IReadOnlyList<string> VideoSources(XElement body) =>
        OnvifXml.Expect(body, "GetVideoSourcesResponse").Children("VideoSources").Select(v => v.Attr("token"))
            .OfType<string>().Take(MaxProfiles).ToList();
}
