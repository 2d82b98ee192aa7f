namespace LightNvr.Config;

/// <summary>[web]</summary>
public sealed record WebOptions
{
    [ConfigKey(Min = 1, Max = 65535, Env = ["WEB_PORT"], Setting = "web_port")]
    public int Port { get; init; } = 8080;

    [ConfigKey(IsIpAddress = true, Env = ["WEB_BIND_IP"], Setting = "web_bind_ip")]
    public string BindIp { get; init; } = "0.0.0.0";

    /// <summary>Folder of the built front end; empty = the <c>www</c> folder beside the executable.</summary>
    [ConfigKey(IsPath = true, Setting = "web_root")]
    public string Root { get; init; } = "";

    [ConfigKey(Env = ["WEB_AUTH_ENABLED"], Setting = "web_auth_enabled", Applies = ConfigApplies.Live)]
    public bool AuthEnabled { get; init; } = true;

    [ConfigKey(Env = ["WEB_USERNAME"])]
    public string Username { get; init; } = "admin";

    /// <summary>Only read when the first admin is created; empty = generate a strong random one and print it once.</summary>
    [ConfigKey(IsSecret = true)]
    public string Password { get; init; } = "";

    /// <summary>Idle session lifetime; at most a year.</summary>
    [ConfigKey(Min = 1, Max = 8760, Setting = "auth_timeout_hours", Applies = ConfigApplies.Live)]
    public int AuthTimeoutHours { get; init; } = 24;

    [ConfigKey(Min = 1, Max = 87600, Setting = "auth_absolute_timeout_hours", Applies = ConfigApplies.Live)]
    public int AuthAbsoluteTimeoutHours { get; init; } = 168;

    [ConfigKey(Min = 0, Max = 365, Setting = "trusted_device_days", Applies = ConfigApplies.Live)]
    public int TrustedDeviceDays { get; init; } = 30;

    [ConfigKey(Env = ["WEB_TRUSTED_PROXY_CIDRS"], Setting = "trusted_proxy_cidrs", Applies = ConfigApplies.Live)]
    public string TrustedProxyCidrs { get; init; } = "";

    [ConfigKey(Setting = "webrtc_disabled")]
    public bool WebrtcDisabled { get; init; }

    [ConfigKey(Setting = "hls_disabled", Applies = ConfigApplies.Live)]
    public bool HlsDisabled { get; init; }

    [ConfigKey(Setting = "mse_disabled", Applies = ConfigApplies.Live)]
    public bool MseDisabled { get; init; }

    /// <summary>Upstream's anonymous viewer browsing. Off by default; separate from the demo camera ([demo]).</summary>
    [ConfigKey(Env = ["DEMO_MODE"], Setting = "demo_mode", Applies = ConfigApplies.Live)]
    public bool DemoMode { get; init; }

    [ConfigKey(Setting = "force_mfa_on_login", Applies = ConfigApplies.Live)]
    public bool ForceMfaOnLogin { get; init; }

    [ConfigKey(Setting = "login_rate_limit_enabled", Applies = ConfigApplies.Live)]
    public bool LoginRateLimitEnabled { get; init; } = true;

    [ConfigKey(Min = 1, Max = 1000, Setting = "login_rate_limit_max_attempts", Applies = ConfigApplies.Live)]
    public int LoginRateLimitMaxAttempts { get; init; } = 5;

    [ConfigKey(Min = 1, Max = 86400, Setting = "login_rate_limit_window_seconds", Applies = ConfigApplies.Live)]
    public int LoginRateLimitWindowSeconds { get; init; } = 300;

    /// <summary>Kept for upstream compatibility (libuv's pool size); .NET sizes its own thread pool.</summary>
    [ConfigKey(Min = 2, Max = 128, Setting = "web_thread_pool_size", NoEffect = "stored, no effect yet")]
    public int WebThreadPoolSize { get; init; } = Math.Clamp(2 * Environment.ProcessorCount, 2, 128);

    /// <summary>
    /// Who may read <c>GET /api/metrics</c>: <c>none</c> (anyone, as upstream), <c>viewer</c> (any signed-in user, or
    /// <see cref="MetricsToken"/> as a bearer token), <c>token</c> (only the bearer token). docs/metrics.md.
    /// </summary>
    [ConfigKey(Choices = ["none", "viewer", "token"], Setting = "metrics_auth", Applies = ConfigApplies.Live)]
    public string MetricsAuth { get; init; } = "viewer";

    /// <summary>Bearer token for Prometheus' scrape (<c>authorization: credentials</c>); empty = none.</summary>
    [ConfigKey(IsSecret = true, Applies = ConfigApplies.Live)]
    public string MetricsToken { get; init; } = "";

    /// <summary>A token shorter than this is refused when metrics_auth = token (a guessable token is no protection).</summary>
    public const int MinMetricsTokenLength = 16;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(WebOptions);
}
