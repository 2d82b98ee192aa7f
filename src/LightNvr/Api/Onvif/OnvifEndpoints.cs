using System.Net;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Onvif;

namespace LightNvr.Api.Onvif;

/// <summary>
/// Upstream's ONVIF discovery routes (lightnvr-api.md §12): discovery status, cached devices, a scan now, a camera's
/// profiles, a credential test and add-as-stream. Upstream has no auth here; these contact arbitrary addresses with
/// credentials and create streams, so they need an operator (any role but viewer), like <c>POST /api/streams</c>.
/// </summary>
public static class OnvifEndpoints
{
    /// <summary>Most explicit unicast probe targets in one discover request.</summary>
    public const int MaxProbeAddresses = 16;

    public const int MaxFieldLength = 1024;

    public static IEndpointRouteBuilder MapOnvifEndpoints(this IEndpointRouteBuilder app)
    {
        var onvif = app.MapGroup("/api/onvif").RequireAuthorization(Policies.Operator).WithMetadata(StreamScope.None);
        onvif.MapGet("/discovery/status", Status);
        onvif.MapGet("/devices", Devices);
        onvif.MapPost("/discovery/discover", DiscoverAsync);
        onvif.MapGet("/device/profiles", ProfilesAsync);
        onvif.MapPost("/device/test", TestAsync);
        onvif.MapPost("/device/add", OnvifAddEndpoint.AddAsync).WithMetadata(AuthMessages.StreamWrite);
        return app;
    }

    private static IResult Status(OnvifDiscoveryService discovery) => JsonReply.Ok(new JsonObject
    {
        ["enabled"] = discovery.Options.DiscoveryEnabled,
        ["network"] = discovery.Options.DiscoveryNetwork,
        ["interval"] = discovery.Options.DiscoveryInterval,
    });

    private static IResult Devices(OnvifDiscoveryService discovery) => JsonReply.Ok(OnvifJson.Devices(discovery.Devices));

    private static async Task<IResult> DiscoverAsync(HttpContext context, OnvifDiscoveryService discovery)
    {
        var (body, _) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return ApiErrors.BadRequest("Invalid JSON request");
        }
        var fields = new RequestFields(body);
        var network = fields.String("network", MaxFieldLength)?.Trim();
        if (fields.Error is { } error)
        {
            return ApiErrors.BadRequest(error);
        }
        if (!OnvifDiscovery.IsAuto(network) && !Ipv4Cidr.TryParse(network!, out _))
        {
            return ApiErrors.BadRequest(Ipv4Cidr.Invalid);
        }
        var (targets, problem) = ProbeTargets(body);
        if (problem is not null)
        {
            return ApiErrors.BadRequest(problem);
        }
        var found = await discovery.ScanAsync(network ?? "auto", targets, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(OnvifJson.Devices(found));
    }

    /// <summary>Extension: <c>addresses</c>, <c>["host:port"]</c> to probe by unicast (a camera on another subnet, the tests' loopback stand-in).</summary>
    private static (IReadOnlyList<IPEndPoint> Targets, string? Problem) ProbeTargets(JsonObject body)
    {
        if (!body.TryGetPropertyValue("addresses", out var node) || node is null)
        {
            return ([], null);
        }
        const string Bad = "addresses must be an array of at most 16 \"ip\" or \"ip:port\" strings";
        if (node is not JsonArray array || array.Count > MaxProbeAddresses)
        {
            return ([], Bad);
        }
        var targets = new List<IPEndPoint>();
        foreach (var item in array)
        {
            var text = item is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (text is null || !IPEndPoint.TryParse(text, out var endpoint) || endpoint.AddressFamily != global::System.Net.Sockets.AddressFamily.InterNetwork)
            {
                return ([], Bad);
            }
            targets.Add(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, OnvifDiscovery.Multicast.Port) : endpoint);
        }
        return (targets, null);
    }

    /// <summary>Upstream reads the device and credentials from headers (<c>X-Device-URL</c>, <c>X-Username</c>, <c>X-Password</c>).</summary>
    private static async Task<IResult> ProfilesAsync(HttpContext context, OnvifCameras cameras)
    {
        var headers = context.Request.Headers;
        var url = OnvifJson.DeviceUrl(headers["X-Device-URL"].ToString());
        if (url is null)
        {
            return ApiErrors.BadRequest(headers.ContainsKey("X-Device-URL") ? OnvifJson.InvalidDeviceUrl : "Missing device_url parameter");
        }
        var credentials = OnvifCredentials.From(headers["X-Username"].ToString(), headers["X-Password"].ToString());
        try
        {
            var profiles = await cameras.GetProfilesAsync(url, credentials, context.RequestAborted).ConfigureAwait(false);
            return JsonReply.Ok(new JsonObject { ["profiles"] = OnvifJson.Profiles(profiles) });
        }
        catch (OnvifException e)
        {
            return OnvifJson.CameraError(e);
        }
    }

    private static async Task<IResult> TestAsync(HttpContext context, OnvifCameras cameras)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var fields = new RequestFields(body);
        var (rawUrl, user, password) = (fields.String("url", MaxFieldLength), fields.String("username", MaxFieldLength), fields.String("password", MaxFieldLength));
        if (fields.Error is { } error)
        {
            return ApiErrors.BadRequest(error);
        }
        var url = OnvifJson.DeviceUrl(rawUrl);
        if (url is null)
        {
            return ApiErrors.BadRequest(rawUrl is null ? "Missing required field: url" : OnvifJson.InvalidDeviceUrl);
        }
        try
        {
            var info = await cameras.TestAsync(url, OnvifCredentials.From(user, password), context.RequestAborted).ConfigureAwait(false);
            return JsonReply.Ok(OnvifJson.Connected(info));
        }
        catch (OnvifException e)
        {
            return OnvifJson.CameraError(e, "Failed to connect to ONVIF device");
        }
    }
}
