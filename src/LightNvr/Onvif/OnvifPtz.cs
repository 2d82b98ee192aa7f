using System.Collections.Concurrent;
using System.Globalization;
using LightNvr.Data;
using Microsoft.Extensions.Logging;

namespace LightNvr.Onvif;

/// <summary>
/// PTZ on a stream's camera (ONVIF PTZ service, ptz.wsdl <c>ver20/ptz/wsdl</c>, generic spaces: pan/tilt −1..1,
/// zoom 0..1) on the profile <see cref="OnvifStreamCameras"/> picks. A continuous move runs until Stop; a client that
/// never sends it (a closed tab, a lost touch-end) would leave the camera turning, so every ContinuousMove arms a
/// <see cref="MoveWatchdog"/> that sends Stop unless another move or a stop comes first.
/// </summary>
public sealed class OnvifPtz(OnvifStreamCameras cameras, ILogger<OnvifPtz> logger)
{
    private const string Tptz = PtzReplies.Namespace;
    private const string Tt = "http://www.onvif.org/ver10/schema";

    /// <summary>A continuous move not stopped within this is stopped (upstream's UI stops on release; 10 s is a long press).</summary>
    public static readonly TimeSpan MoveWatchdog = TimeSpan.FromSeconds(10);

    /// <summary>Longest preset name sent to a camera (tt:Name is a string of at most 64 characters, ONVIF Core §8.1).</summary>
    public const int MaxPresetName = 64;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _watchdogs = new(StringComparer.Ordinal);

    /// <summary>Each camera session's node, read once per session (<see cref="OnvifStreamCameras.SessionLifetime"/>), so a press of a PTZ button is checked without a GetNodes call.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<OnvifStreamCamera, PtzNode> _nodes = new();

    /// <summary>Watchdog stops sent (a continuous move nobody stopped).</summary>
    public int WatchdogStops => Volatile.Read(ref _watchdogStops);

    private int _watchdogStops;

    /// <summary>The PTZ service address and its node (GetNodes; a camera that answers none is assumed continuous-only).</summary>
    public Task<(Uri Service, PtzNode Node)> CapabilitiesAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera => (Service(camera), await ReadNodeAsync(camera, cancellationToken).ConfigureAwait(false)), cancellationToken);

    /// <summary>The node of the stream's current camera session: read once per session, then remembered.</summary>
    public Task<PtzNode> NodeAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera => _nodes.TryGetValue(camera, out var node) ? node
            : await ReadNodeAsync(camera, cancellationToken).ConfigureAwait(false), cancellationToken);

    private async Task<PtzNode> ReadNodeAsync(OnvifStreamCamera camera, CancellationToken cancellationToken)
    {
        PtzNode node;
        try
        {
            node = PtzReplies.Node(await camera.Device.CallAsync(Service(camera), $"<GetNodes xmlns=\"{Tptz}\"/>", cancellationToken)
                .ConfigureAwait(false));
        }
        catch (OnvifException e) when (e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault)
        {
            node = PtzNode.Assumed;
        }
        _nodes.AddOrUpdate(camera, node);
        return node;
    }

    /// <summary>ContinuousMove with a velocity (−1..1 per axis), stopped by the watchdog after <see cref="MoveWatchdog"/>.</summary>
    public async Task ContinuousMoveAsync(StreamConfig stream, double pan, double tilt, double zoom, CancellationToken cancellationToken)
    {
        Disarm(stream.Name);
        await CallAsync(stream, token => $"<ContinuousMove xmlns=\"{Tptz}\">{token}<Velocity>{Vector(pan, tilt, zoom)}</Velocity></ContinuousMove>",
            cancellationToken).ConfigureAwait(false);
        Arm(stream);
    }

    public async Task StopAsync(StreamConfig stream, CancellationToken cancellationToken)
    {
        Disarm(stream.Name);
        await CallAsync(stream, token => $"<Stop xmlns=\"{Tptz}\">{token}<PanTilt>true</PanTilt><Zoom>true</Zoom></Stop>", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>AbsoluteMove; an axis not given keeps the camera's current value (GetStatus), since PanTilt carries both x and y.</summary>
    public async Task AbsoluteMoveAsync(StreamConfig stream, double? pan, double? tilt, double? zoom, CancellationToken cancellationToken,
        PtzSpeed? speed = null)
    {
        Disarm(stream.Name);
        PtzStatus? status = null;
        if ((pan is null) != (tilt is null))
        {
            status = await StatusAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        var position = (pan is null && tilt is null ? "" : PanTilt(pan ?? status?.Pan ?? 0, tilt ?? status?.Tilt ?? 0)) +
            (zoom is double z ? Zoom(z) : "");
        await CallAsync(stream, token => $"<AbsoluteMove xmlns=\"{Tptz}\">{token}<Position>{position}</Position>{Speed(speed)}</AbsoluteMove>", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>RelativeMove by a translation; an axis not given does not move.</summary>
    public async Task RelativeMoveAsync(StreamConfig stream, double? pan, double? tilt, double? zoom, CancellationToken cancellationToken,
        PtzSpeed? speed = null)
    {
        Disarm(stream.Name);
        var translation = (pan is null && tilt is null ? "" : PanTilt(pan ?? 0, tilt ?? 0)) + (zoom is double z ? Zoom(z) : "");
        await CallAsync(stream, token => $"<RelativeMove xmlns=\"{Tptz}\">{token}<Translation>{translation}</Translation>{Speed(speed)}</RelativeMove>",
            cancellationToken).ConfigureAwait(false);
    }

    public async Task GotoHomeAsync(StreamConfig stream, CancellationToken cancellationToken)
    {
        Disarm(stream.Name);
        await CallAsync(stream, token => $"<GotoHomePosition xmlns=\"{Tptz}\">{token}</GotoHomePosition>", cancellationToken).ConfigureAwait(false);
    }

    public Task SetHomeAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        CallAsync(stream, token => $"<SetHomePosition xmlns=\"{Tptz}\">{token}</SetHomePosition>", cancellationToken);

    public Task<IReadOnlyList<PtzPreset>> PresetsAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera => PtzReplies.Presets(await camera.Device.CallAsync(Service(camera),
            $"<GetPresets xmlns=\"{Tptz}\">{ProfileToken(camera)}</GetPresets>", cancellationToken).ConfigureAwait(false)), cancellationToken);

    public async Task GotoPresetAsync(StreamConfig stream, string preset, CancellationToken cancellationToken)
    {
        Disarm(stream.Name);
        await CallAsync(stream, token => $"<GotoPreset xmlns=\"{Tptz}\">{token}<PresetToken>{SoapEnvelope.Escape(preset)}</PresetToken></GotoPreset>",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SetPreset at the current position; the camera's token for it.</summary>
    public Task<string> SetPresetAsync(StreamConfig stream, string? name, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera => PtzReplies.PresetToken(await camera.Device.CallAsync(Service(camera),
            $"<SetPreset xmlns=\"{Tptz}\">{ProfileToken(camera)}" +
            (string.IsNullOrEmpty(name) ? "" : $"<PresetName>{SoapEnvelope.Escape(name)}</PresetName>") + "</SetPreset>",
            cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<PtzStatus> StatusAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, async camera => PtzReplies.Status(await camera.Device.CallAsync(Service(camera),
            $"<GetStatus xmlns=\"{Tptz}\">{ProfileToken(camera)}</GetStatus>", cancellationToken).ConfigureAwait(false)), cancellationToken);

    private Task CallAsync(StreamConfig stream, Func<string, string> body, CancellationToken cancellationToken) =>
        cameras.CallAsync(stream, camera => camera.Device.CallAsync(Service(camera), body(ProfileToken(camera)), cancellationToken), cancellationToken);

    private static Uri Service(OnvifStreamCamera camera) =>
        camera.Device.Capabilities.Ptz ?? throw OnvifException.NotSupported("this camera has no PTZ service");

    private static string ProfileToken(OnvifStreamCamera camera) => $"<ProfileToken>{SoapEnvelope.Escape(camera.Profile.Token)}</ProfileToken>";

    /// <summary>tt:PTZSpeed (PanTilt x = y = the pan/tilt speed, Zoom x), or nothing: the camera's default speed.</summary>
    private static string Speed(PtzSpeed? speed) => speed is null || (speed.PanTilt is null && speed.Zoom is null) ? "" :
        "<Speed>" + (speed.PanTilt is double pt ? PanTilt(pt, pt) : "") + (speed.Zoom is double z ? Zoom(z) : "") + "</Speed>";

    private static string Vector(double pan, double tilt, double zoom) => PanTilt(pan, tilt) + Zoom(zoom);

    private static string PanTilt(double pan, double tilt) => $"<PanTilt xmlns=\"{Tt}\" x=\"{Number(pan)}\" y=\"{Number(tilt)}\"/>";

    private static string Zoom(double zoom) => $"<Zoom xmlns=\"{Tt}\" x=\"{Number(zoom)}\"/>";

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private void Arm(StreamConfig stream)
    {
        var stop = new CancellationTokenSource();
        if (_watchdogs.TryRemove(stream.Name, out var previous))
        {
            previous.Cancel();
            previous.Dispose();
        }
        _watchdogs[stream.Name] = stop;
        // The timer is armed before the move's reply goes back, so a caller that got the reply can count on it.
        _ = StopWhenDueAsync(stream, stop, Task.Delay(MoveWatchdog, cameras.Time, stop.Token));
    }

    private async Task StopWhenDueAsync(StreamConfig stream, CancellationTokenSource stop, Task due)
    {
        try
        {
            await due.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!_watchdogs.TryRemove(new KeyValuePair<string, CancellationTokenSource>(stream.Name, stop)))
        {
            return;
        }
        stop.Dispose();
        try
        {
            await CallAsync(stream, t => $"<Stop xmlns=\"{Tptz}\">{t}<PanTilt>true</PanTilt><Zoom>true</Zoom></Stop>", CancellationToken.None)
                .ConfigureAwait(false);
            Interlocked.Increment(ref _watchdogStops);
            logger.LogWarning("PTZ: {Stream} moved for {Seconds} s without a stop; stopped it", stream.Name, MoveWatchdog.TotalSeconds);
        }
        catch (OnvifException e)
        {
            logger.LogWarning("PTZ: the watchdog could not stop {Stream}: {Error}", stream.Name, e.Message);
        }
    }

    private void Disarm(string streamName)
    {
        if (_watchdogs.TryRemove(streamName, out var watchdog))
        {
            watchdog.Cancel();
            watchdog.Dispose();
        }
    }
}
