using System.Globalization;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>The stand-in's PTZ state (generic spaces: pan/tilt −1..1, zoom 0..1) and events queue.</summary>
public sealed partial class OnvifStandIn
{
    private readonly Dictionary<string, (double Pan, double Tilt, double Zoom)> _presets = new() { ["1"] = (0.5, 0.25, 0.1) };
    private readonly Dictionary<string, string> _presetNames = [];
    private readonly Queue<(DateTimeOffset At, bool Motion)> _events = new();
    private (double Pan, double Tilt, double Zoom) _home = (0, 0, 0);
    private (double Pan, double Tilt, double Zoom) _position;
    private (double Pan, double Tilt, double Zoom) _velocity;
    private DateTimeOffset _movingSince;
    private int _subscriptions;

    /// <summary>Where the camera points now (a continuous move advances with real time).</summary>
    public (double Pan, double Tilt, double Zoom) Position
    {
        get
        {
            lock (_lock)
            {
                return Integrate();
            }
        }
    }

    /// <summary>False: the camera has no PTZ service (not in its capabilities; PTZ operations fault as unsupported).</summary>
    public bool HasPtz { get; set; } = true;

    /// <summary>Stops received (the API's and the watchdog's).</summary>
    public int Stops => Count("Stop");

    public bool Moving { get { lock (_lock) { return _velocity != default; } } }

    /// <summary>Queues a motion notification (<c>tns1:RuleEngine/CellMotionDetector/Motion</c>, IsMotion) for PullMessages.</summary>
    public void EmitMotion(bool motion)
    {
        Uri? consumer;
        lock (_lock)
        {
            consumer = _consumer;
            if (consumer is null)
            {
                _events.Enqueue((Now, motion));
            }
        }
        if (consumer is not null)
        {
            _ = PushAsync(consumer, Now, motion);
        }
    }

    public int ActiveSubscriptions => Volatile.Read(ref _subscriptions);

    private (double Pan, double Tilt, double Zoom) Integrate()
    {
        var seconds = (Clock.GetUtcNow() - _movingSince).TotalSeconds;
        return (Math.Clamp(_position.Pan + _velocity.Pan * seconds, -1, 1), Math.Clamp(_position.Tilt + _velocity.Tilt * seconds, -1, 1),
            Math.Clamp(_position.Zoom + _velocity.Zoom * seconds, 0, 1));
    }

    /// <summary>The pan/tilt velocity space the node reports: −MaxVelocity..MaxVelocity (1: the generic space).</summary>
    public double MaxVelocity { get; init; } = 1;

    /// <summary>False: the PTZ node reports no PanTiltSpeedSpace/ZoomSpeedSpace (moves at its default speed only).</summary>
    public bool SpeedSpaces { get; set; } = true;

    /// <summary>The tt:PTZSpeed of the last absolute or relative move: (pan/tilt x, pan/tilt y, zoom), null members not sent.</summary>
    public (double? PanTiltX, double? PanTiltY, double? Zoom)? LastSpeed { get; private set; }

    private static (double?, double?, double?)? SpeedOf(XElement body)
    {
        var speed = body.Elements().FirstOrDefault(e => e.Name.LocalName == "Speed");
        if (speed is null)
        {
            return null;
        }
        double? Get(string element, string axis) => double.TryParse(speed.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Attribute(axis)?.Value,
            NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        return (Get("PanTilt", "x"), Get("PanTilt", "y"), Get("Zoom", "x"));
    }

    private string? PtzReply(XElement body, Func<string, string?> arg)
    {
        (double, double, double) Vector(string element, (double, double, double) fallback)
        {
            var e = body.Descendants().FirstOrDefault(d => d.Name.LocalName == element);
            var pt = e?.Elements().FirstOrDefault(d => d.Name.LocalName == "PanTilt");
            var z = e?.Elements().FirstOrDefault(d => d.Name.LocalName == "Zoom");
            double Get(XElement? x, string a, double d) => double.TryParse(x?.Attribute(a)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : d;
            return (Get(pt, "x", fallback.Item1), Get(pt, "y", fallback.Item2), Get(z, "x", fallback.Item3));
        }
        if (!HasPtz)
        {
            return null;
        }
        lock (_lock)
        {
            switch (body.Name.LocalName)
            {
                case "GetNodes":
                    // One node in the generic spaces (ONVIF PTZ §5.7), as a two-axis dome with zoom would report.
                    static string Space(string name, string uri, bool y, double min = -1, double max = 1) =>
                        $"<tt:{name}><tt:URI>http://www.onvif.org/ver10/tptz/{uri}</tt:URI><tt:XRange><tt:Min>{Number(min)}</tt:Min><tt:Max>{Number(max)}</tt:Max></tt:XRange>" +
                        (y ? $"<tt:YRange><tt:Min>{Number(min)}</tt:Min><tt:Max>{Number(max)}</tt:Max></tt:YRange>" : "") + $"</tt:{name}>";
                    return "<tptz:GetNodesResponse><tptz:PTZNode token=\"node0\" FixedHomePosition=\"false\"><tt:Name>node0</tt:Name><tt:SupportedPTZSpaces>" +
                        Space("AbsolutePanTiltPositionSpace", "PanTiltSpaces/PositionGenericSpace", true) +
                        Space("AbsoluteZoomPositionSpace", "ZoomSpaces/PositionGenericSpace", false, 0) +
                        Space("RelativePanTiltTranslationSpace", "PanTiltSpaces/TranslationGenericSpace", true) +
                        Space("RelativeZoomTranslationSpace", "ZoomSpaces/TranslationGenericSpace", false) +
                        Space("ContinuousPanTiltVelocitySpace", "PanTiltSpaces/VelocityGenericSpace", true, -MaxVelocity, MaxVelocity) +
                        Space("ContinuousZoomVelocitySpace", "ZoomSpaces/VelocityGenericSpace", false) +
                        (SpeedSpaces ? Space("PanTiltSpeedSpace", "PanTiltSpaces/GenericSpeedSpace", false, 0) +
                            Space("ZoomSpeedSpace", "ZoomSpaces/ZoomGenericSpeedSpace", false, 0) : "") +
                        "</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>32</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>" +
                        "</tptz:PTZNode></tptz:GetNodesResponse>";
                case "ContinuousMove":
                    _position = Integrate();
                    _movingSince = Clock.GetUtcNow();
                    _velocity = Vector("Velocity", (0, 0, 0));
                    return "<tptz:ContinuousMoveResponse/>";
                case "Stop":
                    _position = Integrate();
                    _velocity = default;
                    return "<tptz:StopResponse/>";
                case "AbsoluteMove":
                    LastSpeed = SpeedOf(body);
                    _velocity = default;
                    _position = Vector("Position", Integrate());
                    return "<tptz:AbsoluteMoveResponse/>";
                case "RelativeMove":
                    LastSpeed = SpeedOf(body);
                    var (dp, dt, dz) = Vector("Translation", (0, 0, 0));
                    var p = Integrate();
                    _velocity = default;
                    _position = (Math.Clamp(p.Pan + dp, -1, 1), Math.Clamp(p.Tilt + dt, -1, 1), Math.Clamp(p.Zoom + dz, 0, 1));
                    return "<tptz:RelativeMoveResponse/>";
                case "GotoHomePosition":
                    (_position, _velocity) = (_home, default);
                    return "<tptz:GotoHomePositionResponse/>";
                case "SetHomePosition":
                    _home = Integrate();
                    return "<tptz:SetHomePositionResponse/>";
                case "GotoPreset":
                    if (!_presets.TryGetValue(arg("PresetToken") ?? "", out var preset))
                    {
                        return FaultBody("env:Sender", "ter:InvalidArgVal", "No such preset token");
                    }
                    (_position, _velocity) = (preset, default);
                    return "<tptz:GotoPresetResponse/>";
                case "SetPreset":
                    var token = (_presets.Count + 1).ToString(CultureInfo.InvariantCulture);
                    _presets[token] = Integrate();
                    _presetNames[token] = arg("PresetName") ?? $"Preset {token}";
                    return $"<tptz:SetPresetResponse><tptz:PresetToken>{token}</tptz:PresetToken></tptz:SetPresetResponse>";
                case "GetPresets":
                    return "<tptz:GetPresetsResponse>" + string.Concat(_presets.Select(kv =>
                        $"<tptz:Preset token=\"{kv.Key}\"><tt:Name>{System.Security.SecurityElement.Escape(_presetNames.GetValueOrDefault(kv.Key, $"Preset {kv.Key}"))}</tt:Name></tptz:Preset>")) + "</tptz:GetPresetsResponse>";
                case "GetStatus":
                    var at = Integrate();
                    return "<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>" +
                        $"<tt:PanTilt x=\"{Number(at.Pan)}\" y=\"{Number(at.Tilt)}\"/><tt:Zoom x=\"{Number(at.Zoom)}\"/></tt:Position>" +
                        $"<tt:MoveStatus><tt:PanTilt>{(_velocity == default ? "IDLE" : "MOVING")}</tt:PanTilt></tt:MoveStatus>" +
                        "</tptz:PTZStatus></tptz:GetStatusResponse>";
                default:
                    return null;
            }
        }
    }

    private static string NotificationMessage(DateTimeOffset at, bool motion) =>
        "<wsnt:NotificationMessage><wsnt:Topic Dialect=\"http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet\">" +
        "tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic><wsnt:Message>" +
        $"<tt:Message UtcTime=\"{at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}\" PropertyOperation=\"Changed\">" +
        "<tt:Source><tt:SimpleItem Name=\"VideoSourceConfigurationToken\" Value=\"vsc0\"/><tt:SimpleItem Name=\"Rule\" Value=\"MyMotionDetectorRule\"/></tt:Source>" +
        $"<tt:Data><tt:SimpleItem Name=\"IsMotion\" Value=\"{(motion ? "true" : "false")}\"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>";

    /// <summary>False: no PullPoint (WSPullPointSupport false, CreatePullPointSubscription unsupported); events are pushed to a Subscribe consumer.</summary>
    public bool PullPointSupport { get; set; } = true;

    /// <summary>The consumer address of the current Base Notification subscription (push), if any.</summary>
    public Uri? PushConsumer { get { lock (_lock) { return _consumer; } } }

    /// <summary>Notify messages the consumer accepted (HTTP 2xx) and refused.</summary>
    public int Pushed => Volatile.Read(ref _pushed);

    public int PushRefused => Volatile.Read(ref _pushRefused);

    private Uri? _consumer;
    private int _pushed;
    private int _pushRefused;
    private static readonly HttpClient PushClient = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>WS-BaseNotification Notify to the consumer, as a camera pushes (SOAP 1.2 over HTTP POST).</summary>
    private async Task PushAsync(Uri consumer, DateTimeOffset at, bool motion)
    {
        try
        {
            using var content = new StringContent(Envelope("<wsnt:Notify>" + NotificationMessage(at, motion) + "</wsnt:Notify>"), System.Text.Encoding.UTF8, "application/soap+xml");
            using var response = await PushClient.PostAsync(consumer, content).ConfigureAwait(false);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _pushed : ref _pushRefused);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _pushRefused);
        }
    }

    private string? EventReply(XElement body, Func<string, string?> arg)
    {
        var now = Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var until = Now.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        switch (body.Name.LocalName)
        {
            case "CreatePullPointSubscription" when !PullPointSupport:
                return null;
            case "Subscribe":
                var consumer = body.Descendants().FirstOrDefault(e => e.Name.LocalName == "Address" && e.Parent?.Name.LocalName == "ConsumerReference")?.Value.Trim();
                lock (_lock)
                {
                    _consumer = Uri.TryCreate(consumer, UriKind.Absolute, out var c) ? c : null;
                }
                Interlocked.Increment(ref _subscriptions);
                return $"<wsnt:SubscribeResponse><wsnt:SubscriptionReference><wsa5:Address>{Service("subscription/push")}</wsa5:Address>" +
                    $"</wsnt:SubscriptionReference><wsnt:CurrentTime>{now}</wsnt:CurrentTime><wsnt:TerminationTime>{until}</wsnt:TerminationTime></wsnt:SubscribeResponse>";
            case "CreatePullPointSubscription":
                Interlocked.Increment(ref _subscriptions);
                return $"<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa5:Address>{Service("subscription/1")}</wsa5:Address>" +
                    $"</tev:SubscriptionReference><wsnt:CurrentTime>{now}</wsnt:CurrentTime><wsnt:TerminationTime>{until}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>";
            case "PullMessages":
                List<(DateTimeOffset At, bool Motion)> pending;
                lock (_lock)
                {
                    pending = [.. _events];
                    _events.Clear();
                }
                return $"<tev:PullMessagesResponse><tev:CurrentTime>{now}</tev:CurrentTime><tev:TerminationTime>{until}</tev:TerminationTime>" +
                    string.Concat(pending.Select(e => NotificationMessage(e.At, e.Motion))) +
                    "</tev:PullMessagesResponse>";
            case "Renew":
                return $"<wsnt:RenewResponse><wsnt:TerminationTime>{until}</wsnt:TerminationTime><wsnt:CurrentTime>{now}</wsnt:CurrentTime></wsnt:RenewResponse>";
            case "Unsubscribe":
                lock (_lock)
                {
                    _consumer = null;
                }
                Interlocked.Decrement(ref _subscriptions);
                return "<wsnt:UnsubscribeResponse/>";
            default:
                _ = arg;
                return null;
        }
    }
}
