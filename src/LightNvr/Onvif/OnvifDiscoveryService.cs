using System.Net;
using LightNvr.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightNvr.Onvif;

/// <summary>
/// Periodic WS-Discovery when <c>[onvif] discovery_enabled</c> (every <c>discovery_interval</c> seconds over
/// <c>discovery_network</c>), and the scans the API asks for. Keeps the last scan's devices for
/// <c>GET /api/onvif/devices</c>. Off (the default), <see cref="ExecuteAsync"/> returns at once: no timer, no socket,
/// no list. One scan at a time: a second request waits for the running one.
/// </summary>
public sealed class OnvifDiscoveryService(OnvifOptions options, OnvifDiscovery discovery, TimeProvider time,
    ILogger<OnvifDiscoveryService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _scan = new(1, 1);
    private IReadOnlyList<DiscoveredDevice> _devices = [];

    public OnvifOptions Options => options;

    /// <summary>The last scan's devices (at most <see cref="OnvifDiscovery.MaxDevices"/>).</summary>
    public IReadOnlyList<DiscoveredDevice> Devices => Volatile.Read(ref _devices);

    public DateTimeOffset? LastScan { get; private set; }

    /// <summary>Scans now; <paramref name="network"/> null means the configured one.</summary>
    public async Task<IReadOnlyList<DiscoveredDevice>> ScanAsync(string? network, IReadOnlyList<IPEndPoint> unicast, CancellationToken cancellationToken)
    {
        await _scan.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var found = await discovery.ScanAsync(network ?? options.DiscoveryNetwork, unicast, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _devices, found);
            LastScan = time.GetUtcNow();
            logger.LogInformation("ONVIF discovery found {Count} device(s)", found.Count);
            return found;
        }
        finally
        {
            _scan.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DiscoveryEnabled)
        {
            return;
        }
        if (!OnvifDiscovery.IsAuto(options.DiscoveryNetwork) && !Ipv4Cidr.TryParse(options.DiscoveryNetwork, out _))
        {
            logger.LogWarning("[onvif] discovery_network {Network}: {Problem}; periodic discovery is off", options.DiscoveryNetwork, Ipv4Cidr.Invalid);
            return;
        }
        var interval = TimeSpan.FromSeconds(Math.Clamp(options.DiscoveryInterval, 30, 3600));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(null, [], stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or FormatException)
            {
                logger.LogWarning("ONVIF discovery failed: {Message}", e.Message);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _scan.Dispose();
        base.Dispose();
    }
}
