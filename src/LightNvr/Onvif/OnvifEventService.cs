using LightNvr.Data;
using LightNvr.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightNvr.Onvif;

/// <summary>
/// Camera motion events: one <see cref="OnvifEventSubscription"/> per enabled stream with <c>isOnvif</c> and
/// <c>detection_model = "onvif"</c> (upstream's switch), started at start-up and on stream changes. A server without
/// such streams holds an empty dictionary and no task. The device service is
/// <c>http://&lt;host of the stream URL&gt;:&lt;onvif_port or 80&gt;/onvif/device_service</c> (ONVIF Core §5.1.1).
/// </summary>
public sealed class OnvifEventService(StreamStore streams, OnvifSoapClient client, TimeProvider time, IObservationSink sink,
    OnvifPushInbox inbox, ILogger<OnvifEventService> logger) : BackgroundService, IStreamChangeListener
{
    public const string DetectionModel = "onvif";

    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private CancellationToken _stopping;

    public int Subscriptions
    {
        get { lock (_lock) { return _running.Count; } }
    }

    public static bool Wants(StreamConfig s) => s.Enabled && s.IsOnvif && s.DetectionModel.Equals(DetectionModel, StringComparison.OrdinalIgnoreCase);

    /// <summary>The device service URL of a stream, or null when its URL has no host.</summary>
    public static Uri? DeviceUrl(StreamConfig s) =>
        Uri.TryCreate(s.Url, UriKind.Absolute, out var url) && url.Host.Length > 0
            ? new UriBuilder("http", url.Host, s.OnvifPort > 0 ? s.OnvifPort : 80, "/onvif/device_service").Uri
            : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        foreach (var stream in await streams.ListAsync(stoppingToken).ConfigureAwait(false))
        {
            Start(stream);
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Task[] runs;
        lock (_lock)
        {
            runs = [.. _running.Values.Select(r => r.Run)];
            foreach (var r in _running.Values)
            {
                r.Stop.Cancel();
            }
        }
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken)
    {
        Start(stream);
        return Task.CompletedTask;
    }

    public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
    {
        Stop(before.Name);
        Start(after);
        return Task.CompletedTask;
    }

    public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken)
    {
        Stop(stream.Name);
        return Task.CompletedTask;
    }

    private void Start(StreamConfig stream)
    {
        if (!Wants(stream) || DeviceUrl(stream) is not { } url || _stopping.IsCancellationRequested)
        {
            return;
        }
        lock (_lock)
        {
            if (_running.ContainsKey(stream.Name))
            {
                return;
            }
            var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            var subscription = new OnvifEventSubscription(client, time, sink, logger, stream.Name, url,
                OnvifCredentials.From(stream.OnvifUsername, stream.OnvifPassword), inbox);
            _running[stream.Name] = (stop, Task.Run(() => subscription.RunAsync(stop.Token), CancellationToken.None));
            logger.LogInformation("ONVIF events: subscribing to {Stream} at {Url}", stream.Name, url);
        }
    }

    private void Stop(string name)
    {
        lock (_lock)
        {
            if (_running.Remove(name, out var run))
            {
                run.Stop.Cancel();
                run.Stop.Dispose();
            }
        }
    }
}
