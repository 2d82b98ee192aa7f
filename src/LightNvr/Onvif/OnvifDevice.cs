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
    private const string Tr2 = MediaReplies.Media2Namespace;

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

    /// <summary>Reads the clock, then the service addresses (GetServices, else GetCapabilities): the first call that needs the password.</summary>
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
            // GetServices first (mandatory since ONVIF 2.0, Core §8.1.2.1): it is the only place a camera names its Media2
            // service. Cameras older than that fault on it and answer GetCapabilities.
            caps = DeviceReplies.Services(await device.CallAsync(deviceUrl,
                $"<GetServices xmlns=\"{Tds}\"><IncludeCapability>false</IncludeCapability></GetServices>", cancellationToken).ConfigureAwait(false));
            if (caps.Media is null && caps.Media2 is null)
            {
                throw new OnvifException(OnvifErrorKind.BadReply, "GetServices named no media service");
            }
        }
        catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault or OnvifErrorKind.BadReply)
        {
            caps = DeviceReplies.Capabilities(await device.CallAsync(deviceUrl,
                $"<GetCapabilities xmlns=\"{Tds}\"><Category>All</Category></GetCapabilities>", cancellationToken).ConfigureAwait(false));
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

    /// <summary>
    /// The profiles without their URIs (one call; PTZ and imaging need only the tokens): Media2 where the camera offers
    /// it, else Media 1.
    /// </summary>
    public async Task<IReadOnlyList<OnvifProfile>> GetProfileListAsync(CancellationToken cancellationToken)
    {
        if (Capabilities.Media2 is { } media2 && await Media2ProfilesAsync(media2, cancellationToken).ConfigureAwait(false) is { } profiles)
        {
            return profiles;
        }
        var media = Capabilities.Media ?? throw OnvifException.NotSupported("the Media service");
        return MediaReplies.Profiles(await CallAsync(media, $"<GetProfiles xmlns=\"{Trt}\"/>", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The profiles with their RTSP stream URI and snapshot URI. Media2 (ONVIF Media2 §5.2.1 GetProfiles with Type All,
    /// §5.3.1 GetStreamUri with Protocol RTSP) where the camera offers it, since only Media2 describes H.265 encoders;
    /// Media 1 (GetStreamUri RTP-Unicast/RTSP) otherwise, or when a Media2 call faults.
    /// </summary>
    public async Task<IReadOnlyList<OnvifProfile>> GetProfilesAsync(CancellationToken cancellationToken)
    {
        if (Capabilities.Media2 is { } media2)
        {
            try
            {
                if (await Media2ProfilesAsync(media2, cancellationToken).ConfigureAwait(false) is { } profiles)
                {
                    return await WithUrisAsync(media2, profiles, token =>
                        $"<GetStreamUri xmlns=\"{Tr2}\"><Protocol>RTSP</Protocol><ProfileToken>{token}</ProfileToken></GetStreamUri>",
                        token => $"<GetSnapshotUri xmlns=\"{Tr2}\"><ProfileToken>{token}</ProfileToken></GetSnapshotUri>", cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault or OnvifErrorKind.BadReply && Capabilities.Media is not null)
            {
                // A Media2 service that refuses its own calls: Media 1 below.
            }
        }
        var media = Capabilities.Media ?? throw OnvifException.NotSupported("the Media service");
        var media1 = MediaReplies.Profiles(await CallAsync(media, $"<GetProfiles xmlns=\"{Trt}\"/>", cancellationToken).ConfigureAwait(false));
        return await WithUrisAsync(media, media1, token =>
            $"<GetStreamUri xmlns=\"{Trt}\"><StreamSetup><Stream xmlns=\"http://www.onvif.org/ver10/schema\">RTP-Unicast</Stream>" +
            "<Transport xmlns=\"http://www.onvif.org/ver10/schema\"><Protocol>RTSP</Protocol></Transport></StreamSetup>" +
            $"<ProfileToken>{token}</ProfileToken></GetStreamUri>",
            token => $"<GetSnapshotUri xmlns=\"{Trt}\"><ProfileToken>{token}</ProfileToken></GetSnapshotUri>", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Media2 GetProfiles with every configuration (without a Type a Media2 camera returns names only); null when it faults.</summary>
    private async Task<IReadOnlyList<OnvifProfile>?> Media2ProfilesAsync(Uri media2, CancellationToken cancellationToken)
    {
        try
        {
            return MediaReplies.Profiles(await CallAsync(media2, $"<GetProfiles xmlns=\"{Tr2}\"><Type>All</Type></GetProfiles>", cancellationToken)
                .ConfigureAwait(false));
        }
        catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault or OnvifErrorKind.BadReply && Capabilities.Media is not null)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<OnvifProfile>> WithUrisAsync(Uri service, IReadOnlyList<OnvifProfile> profiles, Func<string, string> streamUri,
        Func<string, string> snapshotUri, CancellationToken cancellationToken)
    {
        var withUris = new List<OnvifProfile>(profiles.Count);
        foreach (var profile in profiles)
        {
            var token = SoapEnvelope.Escape(profile.Token);
            var stream = MediaReplies.Uri(await CallAsync(service, streamUri(token), cancellationToken).ConfigureAwait(false));
            string? snapshot = null;
            try
            {
                snapshot = MediaReplies.Uri(await CallAsync(service, snapshotUri(token), cancellationToken).ConfigureAwait(false));
            }
            catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault)
            {
                // Snapshots are optional (ONVIF Media §5.15.1, Media2 §5.3.2); the profile is still usable.
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
