using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Data;
using LightNvr.Onvif;

namespace LightNvr.Api.Onvif;

/// <summary>The ONVIF routes' JSON (upstream's field names) and their error mapping.</summary>
public static class OnvifJson
{
    public const string InvalidDeviceUrl = "device URL must be an http(s) URL or a host name or IP address";

    public static JsonObject Devices(IReadOnlyList<DiscoveredDevice> devices) => new()
    {
        ["devices"] = new JsonArray([.. devices.Select(d => (JsonNode)new JsonObject
        {
            ["endpoint"] = d.Endpoint,
            ["device_service"] = d.DeviceService.AbsoluteUri,
            ["ip_address"] = d.IpAddress,
            ["name"] = d.Name,
            ["hardware"] = d.Hardware,
            ["types"] = new JsonArray([.. d.Types.Select(t => (JsonNode)JsonValue.Create(t))]),
            ["scopes"] = new JsonArray([.. d.Scopes.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["online"] = true,
            ["discovery_time"] = d.DiscoveredAt.ToUnixTimeSeconds(),
        })]),
    };

    public static JsonObject Connected(OnvifDeviceInformation info) => new()
    {
        ["success"] = true,
        ["message"] = "Successfully connected to ONVIF device",
        ["manufacturer"] = info.Manufacturer,
        ["model"] = info.Model,
    };

    /// <summary>Profiles with URIs stripped of any credentials (upstream does the same).</summary>
    public static JsonArray Profiles(IReadOnlyList<OnvifProfile> profiles) =>
        new([.. profiles.Select(p => (JsonNode)new JsonObject
        {
            ["token"] = p.Token,
            ["name"] = p.Name,
            ["video_source_token"] = p.VideoSourceToken ?? "",
            ["snapshot_uri"] = StreamJson.StripCredentials(p.SnapshotUri ?? ""),
            ["stream_uri"] = StreamJson.StripCredentials(p.StreamUri ?? ""),
            ["width"] = p.Width,
            ["height"] = p.Height,
            ["encoding"] = p.Encoding ?? "",
            ["fps"] = p.Fps,
            ["bitrate"] = p.BitrateKbps,
        })]);

    /// <summary>
    /// A device URL from what a user typed: an http(s) URL as is, a bare host or IP (optionally :port) becomes
    /// <c>http://host/onvif/device_service</c> (ONVIF Core §5.1.1's fixed device service path).
    /// </summary>
    public static Uri? DeviceUrl(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = $"http://{text}/onvif/device_service";
        }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 &&
            uri.UserInfo.Length == 0 ? uri : null;
    }
    /// <summary>
    /// The stream named in the path (one access check, <see cref="StreamEndpoints.FindAsync"/>), 400 with
    /// <paramref name="refusal"/>'s message when it says the stream cannot take this call, then
    /// <paramref name="action"/>; a camera's failure (<see cref="OnvifException"/>) becomes its 4xx/5xx JSON.
    /// </summary>
    public static async Task<IResult> WithCameraAsync(string name, HttpContext context, StreamStore streams,
        Func<StreamConfig, string?> refusal, Func<StreamConfig, Task<IResult>> action)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, streams).ConfigureAwait(false);
        if (stream is null)
        {
            return error!;
        }
        if (refusal(stream) is { } why)
        {
            return ApiErrors.BadRequest(why);
        }
        try
        {
            return await action(stream).ConfigureAwait(false);
        }
        catch (OnvifException e)
        {
            return CameraError(e);
        }
    }


    /// <summary>A camera failure: 502 (504 on a timeout) with what went wrong; never the password.</summary>
    public static IResult CameraError(OnvifException e, string? prefix = null)
    {
        var status = e.Kind == OnvifErrorKind.Timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        return ApiErrors.Status(status, prefix is null ? e.Message : $"{prefix}: {e.Message}");
    }
}
