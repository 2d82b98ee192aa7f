namespace LightNvr.Config;

/// <summary>[onvif]</summary>
public sealed record OnvifOptions
{
    [ConfigKey(Setting = "onvif_discovery_enabled")]
    public bool DiscoveryEnabled { get; init; }

    /// <summary>Seconds; upstream's bounds 30–3600.</summary>
    [ConfigKey(Min = 30, Max = 3600, Setting = "onvif_discovery_interval")]
    public int DiscoveryInterval { get; init; } = 300;

    /// <summary>CIDR or <c>auto</c>.</summary>
    [ConfigKey(Env = ["ONVIF_NETWORK"], Setting = "onvif_discovery_network")]
    public string DiscoveryNetwork { get; init; } = "auto";

    /// <summary>
    /// Not an upstream key (upstream has no push notifications): the base URL cameras without PullPoint push their
    /// events to, e.g. <c>http://nvr.lan:8080</c> when the server is behind NAT or a reverse proxy from its cameras;
    /// <c>/api/onvif/notify/{token}</c> is appended. Empty: this machine's address toward the camera and the HTTP port.
    /// </summary>
    [ConfigKey]
    public string PushCallbackUrl { get; init; } = "";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(OnvifOptions);
}
