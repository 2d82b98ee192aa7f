using System.Globalization;
using System.Text;
using LightNvr.Data;

namespace LightNvr.Onvif;

/// <summary>
/// Imaging and day/night on a stream's camera (ONVIF Imaging service, imaging.wsdl <c>ver20/imaging/wsdl</c>),
/// addressed by the video source token of the profile <see cref="OnvifStreamCameras"/> picks (or the camera's first
/// video source). Day/night is the IR cut filter: ON = day (colour), OFF = night (black and white), AUTO.
/// </summary>
public sealed class OnvifImaging(OnvifStreamCameras cameras)
{
    private const string Timg = ImagingReplies.Namespace;
    private const string Tt = "http://www.onvif.org/ver10/schema";

    public Task<(string Source, ImagingSettings Settings)> GetSettingsAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera =>
        {
            var (service, source) = await TargetAsync(camera, cancellationToken).ConfigureAwait(false);
            return (source, ImagingReplies.Settings(await camera.Device.CallAsync(service,
                $"<GetImagingSettings xmlns=\"{Timg}\"><VideoSourceToken>{SoapEnvelope.Escape(source)}</VideoSourceToken></GetImagingSettings>",
                cancellationToken).ConfigureAwait(false)));
        }, cancellationToken);

    public Task<(string Source, ImagingOptions Options)> GetOptionsAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera =>
        {
            var (service, source) = await TargetAsync(camera, cancellationToken).ConfigureAwait(false);
            return (source, ImagingReplies.Options(await camera.Device.CallAsync(service,
                $"<GetOptions xmlns=\"{Timg}\"><VideoSourceToken>{SoapEnvelope.Escape(source)}</VideoSourceToken></GetOptions>",
                cancellationToken).ConfigureAwait(false)));
        }, cancellationToken);

    /// <summary>SetImagingSettings with the given values only, in tt:ImagingSettings20's element order (strict cameras check it).</summary>
    public Task SetAsync(StreamConfig stream, ImagingChange change, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera =>
        {
            var (service, source) = await TargetAsync(camera, cancellationToken).ConfigureAwait(false);
            var xml = new StringBuilder();
            if (change.BacklightMode is not null || change.BacklightLevel is not null)
            {
                xml.Append("<BacklightCompensation>").Append(Element("Mode", change.BacklightMode ?? "ON")).Append(Element("Level", change.BacklightLevel))
                    .Append("</BacklightCompensation>");
            }
            xml.Append(Element("Brightness", change.Brightness)).Append(Element("ColorSaturation", change.ColorSaturation))
                .Append(Element("Contrast", change.Contrast)).Append(Element("IrCutFilter", change.IrCutFilter)).Append(Element("Sharpness", change.Sharpness));
            if (change.WideDynamicRangeMode is not null || change.WideDynamicRangeLevel is not null)
            {
                xml.Append("<WideDynamicRange>").Append(Element("Mode", change.WideDynamicRangeMode ?? "ON"))
                    .Append(Element("Level", change.WideDynamicRangeLevel)).Append("</WideDynamicRange>");
            }
            if (change.HasExtension)
            {
                // tt:ImagingSettings20/Extension (20)/Extension (202)/Extension (203): ToneCompensation, Defogging,
                // NoiseReduction in that order (onvif.xsd).
                xml.Append("<Extension><Extension><Extension>");
                if (change.ToneCompensationMode is not null || change.ToneCompensationLevel is not null)
                {
                    xml.Append("<ToneCompensation>").Append(Element("Mode", change.ToneCompensationMode ?? "ON"))
                        .Append(Element("Level", change.ToneCompensationLevel)).Append("</ToneCompensation>");
                }
                if (change.DefoggingMode is not null || change.DefoggingLevel is not null)
                {
                    xml.Append("<Defogging>").Append(Element("Mode", change.DefoggingMode ?? "ON"))
                        .Append(Element("Level", change.DefoggingLevel)).Append("</Defogging>");
                }
                if (change.NoiseReduction is not null)
                {
                    xml.Append("<NoiseReduction>").Append(Element("Level", change.NoiseReduction)).Append("</NoiseReduction>");
                }
                xml.Append("</Extension></Extension></Extension>");
            }
            await camera.Device.CallAsync(service,
                $"<SetImagingSettings xmlns=\"{Timg}\"><VideoSourceToken>{SoapEnvelope.Escape(source)}</VideoSourceToken>" +
                $"<ImagingSettings xmlns=\"{Tt}\">{xml}</ImagingSettings>" +
                $"<ForcePersistence>{(change.ForcePersistence ? "true" : "false")}</ForcePersistence></SetImagingSettings>",
                cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static string Element(string name, double? value) =>
        value is double v ? $"<{name}>{v.ToString("0.######", CultureInfo.InvariantCulture)}</{name}>" : "";

    private static string Element(string name, string? value) => value is null ? "" : $"<{name}>{SoapEnvelope.Escape(value)}</{name}>";

    private static async Task<(Uri Service, string Source)> TargetAsync(OnvifStreamCamera camera, CancellationToken cancellationToken)
    {
        var service = camera.Device.Capabilities.Imaging ?? throw OnvifException.NotSupported("this camera has no Imaging service");
        if (camera.Profile.VideoSourceToken is { } source)
        {
            return (service, source);
        }
        var media = camera.Device.Capabilities.Media ?? throw OnvifException.NotSupported("the Media service");
        var sources = MediaReplies.VideoSources(await camera.Device.CallAsync(media,
            $"<GetVideoSources xmlns=\"{MediaReplies.Namespace}\"/>", cancellationToken).ConfigureAwait(false));
        return (service, sources.FirstOrDefault() ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera reports no video source"));
    }
}
