using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// One camera's ONVIF session: its device service URL, credentials, the offset of its clock from ours (read with
/// <c>GetSystemDateAndTime</c>, which ONVIF Core §5.9.4.3 requires to work without authentication) and its service
/// addresses. Service addresses the camera reports with another host (NAT, a second interface) are moved to the
/// host and port the device URL used, since that is the one known to answer.
/// </summary>
public sealed class OnvifDevice
{
    private const string Tds = DeviceReplies.Namespace;
    private const string Trt = MediaReplies.Namespace;

    private readonly OnvifSoapClient _client;
    private readonly OnvifCredentials? _credentials;

    private OnvifDevice(OnvifSoapClient client, Uri deviceUrl, OnvifCredentials? credentials)
    {
        _client = client;
        DeviceUrl = deviceUrl;
        _credentials = credentials;
        Capabilities = new OnvifCapabilities(deviceUrl, null, null, null, null, null, false);
    }

    public Uri DeviceUrl { get; }

    /// <summary>Camera clock − our clock; every token's Created uses it.</summary>
    public TimeSpan ClockOffset { get; private set; }

    public OnvifCapabilities Capabilities { get; private set; }

    /// <summary>Reads the clock, then the capabilities (GetCapabilities, else GetServices): the first call that needs the password.</summary>
    public static async Task<OnvifDevice> ConnectAsync(OnvifSoapClient client, TimeProvider time, Uri deviceUrl,
        OnvifCredentials? credentials, CancellationToken cancellationToken)
    {
        var device = new OnvifDevice(client, deviceUrl, credentials);
        try
        {
            await device.SyncClockAsync(time, cancellationToken).ConfigureAwait(false);
        }
        catch (OnvifException e) when (e.Kind is OnvifErrorKind.Unauthorized or OnvifErrorKind.Fault or OnvifErrorKind.NotSupported)
        {
            // Some cameras close GetSystemDateAndTime despite ONVIF Core: go on with our own clock.
        }
        OnvifCapabilities caps;
        try
        {
            caps = DeviceReplies.Capabilities(await device.CallAsync(deviceUrl,
                $"<GetCapabilities xmlns=\"{Tds}\"><Category>All</Category></GetCapabilities>", cancellationToken).ConfigureAwait(false));
        }
        catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault)
        {
            caps = DeviceReplies.Services(await device.CallAsync(deviceUrl,
                $"<GetServices xmlns=\"{Tds}\"><IncludeCapability>false</IncludeCapability></GetServices>", cancellationToken).ConfigureAwait(false));
        }
        device.Capabilities = caps with
        {
            Device = deviceUrl,
            Media = device.Reachable(caps.Media),
            Media2 = device.Reachable(caps.Media2),
            Ptz = device.Reachable(caps.Ptz),
            Imaging = device.Reachable(caps.Imaging),
            Events = device.Reachable(caps.Events),
        };
        return device;
    }

    /// <summary>Reads the camera's clock without credentials (a camera that refuses: ConnectAsync keeps offset zero).</summary>
    public async Task SyncClockAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow();
        var body = await _client.CallAsync(DeviceUrl, $"<GetSystemDateAndTime xmlns=\"{Tds}\"/>", null, TimeSpan.Zero, cancellationToken)
            .ConfigureAwait(false);
        if (DeviceReplies.SystemDateAndTime(body) is { } camera)
        {
            var after = time.GetUtcNow();
            ClockOffset = camera - (before + (after - before) / 2);
        }
    }

    public async Task<OnvifDeviceInformation> GetDeviceInformationAsync(CancellationToken cancellationToken) =>
        DeviceReplies.DeviceInformation(await CallAsync(DeviceUrl, $"<GetDeviceInformation xmlns=\"{Tds}\"/>", cancellationToken)
            .ConfigureAwait(false));

    /// <summary>The Media profiles without their URIs (one call; PTZ and imaging need only the tokens).</summary>
    public async Task<IReadOnlyList<OnvifProfile>> GetProfileListAsync(CancellationToken cancellationToken)
    {
        var media = Capabilities.Media ?? throw OnvifException.NotSupported("the Media service");
        return MediaReplies.Profiles(await CallAsync(media, $"<GetProfiles xmlns=\"{Trt}\"/>", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The Media profiles with their RTSP stream URI (RTP-Unicast over RTSP) and snapshot URI.</summary>
    public async Task<IReadOnlyList<OnvifProfile>> GetProfilesAsync(CancellationToken cancellationToken)
    {
        var media = Capabilities.Media ?? throw OnvifException.NotSupported("the Media service");
        var profiles = MediaReplies.Profiles(await CallAsync(media, $"<GetProfiles xmlns=\"{Trt}\"/>", cancellationToken).ConfigureAwait(false));
        var withUris = new List<OnvifProfile>(profiles.Count);
        foreach (var profile in profiles)
        {
            var token = SoapEnvelope.Escape(profile.Token);
            var stream = MediaReplies.Uri(await CallAsync(media,
                $"<GetStreamUri xmlns=\"{Trt}\"><StreamSetup><Stream xmlns=\"http://www.onvif.org/ver10/schema\">RTP-Unicast</Stream>" +
                "<Transport xmlns=\"http://www.onvif.org/ver10/schema\"><Protocol>RTSP</Protocol></Transport></StreamSetup>" +
                $"<ProfileToken>{token}</ProfileToken></GetStreamUri>", cancellationToken).ConfigureAwait(false));
            string? snapshot = null;
            try
            {
                snapshot = MediaReplies.Uri(await CallAsync(media,
                    $"<GetSnapshotUri xmlns=\"{Trt}\"><ProfileToken>{token}</ProfileToken></GetSnapshotUri>", cancellationToken).ConfigureAwait(false));
            }
            catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault)
            {
                // Snapshots are optional (ONVIF Media §5.15.1); the profile is still usable.
            }
            withUris.Add(profile with { StreamUri = stream, SnapshotUri = snapshot });
        }
        return withUris;
    }

    /// <summary>One call to <paramref name="service"/> with this device's credentials and clock offset.</summary>
    public Task<XElement> CallAsync(Uri service, string body, CancellationToken cancellationToken) =>
        _client.CallAsync(service, body, _credentials, ClockOffset, cancellationToken);

    private Uri? Reachable(Uri? service)
    {
        if (service is null || (service.Host == DeviceUrl.Host && service.Port == DeviceUrl.Port))
        {
            return service;
        }
        return new UriBuilder(service) { Scheme = DeviceUrl.Scheme, Host = DeviceUrl.Host, Port = DeviceUrl.Port }.Uri;
    }
}
