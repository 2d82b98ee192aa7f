namespace LightNvr.Config;

/// <summary>[go2rtc]: the built-in streaming core takes go2rtc's place and keeps its keys.</summary>
public sealed record Go2rtcOptions
{
    [ConfigKey(Env = ["GO2RTC_ENABLED"], Setting = "go2rtc_enabled", NoEffect = "stored, no effect yet (the streaming core is built in; no external go2rtc)")]
    public bool Enabled { get; init; } = true;

    /// <summary>Read for compatibility; the built-in core needs no go2rtc binary.</summary>
    [ConfigKey(IsPath = true, Setting = "go2rtc_binary_path", NoEffect = "stored, no effect yet (the streaming core is built in; no external go2rtc)")]
    public string BinaryPath { get; init; } = "";

    [ConfigKey(IsPath = true, Setting = "go2rtc_config_dir", NoEffect = "stored, no effect yet (the streaming core is built in; no external go2rtc)")]
    public string ConfigDir { get; init; } = "";

    [ConfigKey(Min = 1, Max = 65535, Setting = "go2rtc_api_port", NoEffect = "stored, no effect yet (the streaming core is built in; no external go2rtc)")]
    public int ApiPort { get; init; } = 1984;

    /// <summary>Port of the built-in RTSP restream server; 0 disables it.</summary>
    [ConfigKey(Min = 0, Max = 65535, Setting = "go2rtc_rtsp_port")]
    public int RtspPort { get; init; } = 8554;

    /// <summary>
    /// Check the TLS certificate of <c>rtsps://</c> cameras and HTTPS snapshot cameras (system roots, host name).
    /// A self-signed camera is refused unless its certificate is in <see cref="RtspsCaFile"/> or this is false.
    /// </summary>
    [ConfigKey(Applies = ConfigApplies.Live)]
    public bool RtspsVerifyCertificate { get; init; } = true;

    /// <summary>PEM file of CA or camera certificates trusted for <c>rtsps://</c> and HTTPS snapshot cameras (pinning).</summary>
    [ConfigKey(IsPath = true, Applies = ConfigApplies.Live)]
    public string RtspsCaFile { get; init; } = "";

    [ConfigKey(Env = ["GO2RTC_WEBRTC_ENABLED"], Setting = "go2rtc_webrtc_enabled")]
    public bool WebrtcEnabled { get; init; } = true;

    /// <summary>The one UDP port every WebRTC viewer uses (docs/webrtc.md); 0: an ephemeral port per viewer.</summary>
    [ConfigKey(Min = 0, Max = 65535, Aliases = ["webrtc_port"], Env = ["GO2RTC_WEBRTC_LISTEN_PORT"],
        Setting = "go2rtc_webrtc_listen_port")]
    public int WebrtcListenPort { get; init; } = 8555;

    /// <summary>When <see cref="WebrtcListenPort"/> cannot be bound: true = ephemeral ports per viewer (logged), false = offers answer 503.</summary>
    [ConfigKey]
    public bool WebrtcPortFallback { get; init; } = true;

    /// <summary>
    /// Comma-separated IP addresses and/or interface names (e.g. <c>eth0</c>) advertised as host candidates; empty: the
    /// address the client reached the web server on.
    /// </summary>
    [ConfigKey]
    public string WebrtcHostAddresses { get; init; } = "";

    /// <summary>ICE-TCP passive candidates (RFC 6544) on this TCP port; 0 = off.</summary>
    [ConfigKey(Min = 0, Max = 65535)]
    public int WebrtcTcpPort { get; init; }

    [ConfigKey(Env = ["GO2RTC_STUN_ENABLED"], Setting = "go2rtc_stun_enabled")]
    public bool StunEnabled { get; init; } = true;

    [ConfigKey(Env = ["GO2RTC_STUN_SERVER"], Setting = "go2rtc_stun_server")]
    public string StunServer { get; init; } = "stun.l.google.com:19302";

    [ConfigKey(Env = ["GO2RTC_EXTERNAL_IP"], Setting = "go2rtc_external_ip")]
    public string ExternalIp { get; init; } = "";

    /// <summary>Comma-separated stun:/turn: URLs.</summary>
    [ConfigKey(Env = ["GO2RTC_ICE_SERVERS"], Setting = "go2rtc_ice_servers")]
    public string IceServers { get; init; } = "";

    /// <summary>Milliseconds, 1 s to 10 min.</summary>
    [ConfigKey(Min = 1000, Max = 600000, Env = ["WEBRTC_CONNECTION_TIMEOUT_MS"], Setting = "webrtc_connection_timeout_ms")]
    public int WebrtcConnectionTimeoutMs { get; init; } = 30000;

    [ConfigKey(Min = 1000, Max = 600000, Env = ["WEBRTC_ICE_RECOVERY_TIMEOUT_MS"], Setting = "webrtc_ice_recovery_timeout_ms", NoEffect = "stored, no effect yet (the player's ICE-recovery grace: its WebRTC mode falls back to MSE at once instead)")]
    public int WebrtcIceRecoveryTimeoutMs { get; init; } = 5000;

    /// <summary>
    /// What WebRTC viewers of an AAC camera hear (browsers have no AAC over WebRTC): <c>opus</c> transcodes it with
    /// one ffmpeg child process per stream, shared by its WebRTC viewers and running only while one listens;
    /// <c>none</c> sends no audio. New key (go2rtc transcodes only when asked per source).
    /// </summary>
    [ConfigKey(Choices = ["opus", "none"])]
    public string WebrtcAacAudio { get; init; } = "opus";

    [ConfigKey(Setting = "go2rtc_force_native_hls", NoEffect = "stored, no effect yet (the streaming core is built in; no external go2rtc)")]
    public bool ForceNativeHls { get; init; }

    /// <summary>Upstream's bounds 1–128.</summary>
    [ConfigKey(Min = 1, Max = 128, NoEffect = "stored, no effect yet (the streaming core is built in; no external go2rtc)")]
    public int ProxyMaxInflight { get; init; } = 16;

    [ConfigKey(Env = ["TURN_ENABLED"], Setting = "turn_enabled")]
    public bool TurnEnabled { get; init; }

    [ConfigKey(Env = ["TURN_SERVER_URL"], Setting = "turn_server_url")]
    public string TurnServerUrl { get; init; } = "";

    [ConfigKey(Env = ["TURN_USERNAME"], Setting = "turn_username")]
    public string TurnUsername { get; init; } = "";

    /// <summary>A static TURN password: sent by <c>/api/ice-servers</c> to Operator roles only, never to viewers.</summary>
    [ConfigKey(IsSecret = true, Env = ["TURN_PASSWORD"], Setting = "turn_password")]
    public string TurnPassword { get; init; } = "";

    /// <summary>
    /// The TURN server's shared secret (coturn <c>static-auth-secret</c>). When set, every role gets a credential
    /// valid for a day (username "expiry:user", HMAC-SHA1 of it; <see cref="Live.WebRtc.TurnCredentials"/>) instead of
    /// <c>turn_username</c>/<c>turn_password</c>. The secret itself is never sent. New key (not in upstream).
    /// </summary>
    [ConfigKey(IsSecret = true, Env = ["TURN_AUTH_SECRET"], Setting = "turn_auth_secret")]
    public string TurnAuthSecret { get; init; } = "";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(Go2rtcOptions);
}
