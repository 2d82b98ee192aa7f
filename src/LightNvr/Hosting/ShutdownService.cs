namespace LightNvr.Hosting;

/// <summary>
/// Runs the <see cref="ShutdownCoordinator"/> when the host begins to stop, before any hosted service's StopAsync
/// (<see cref="IHostedLifecycleService.StoppingAsync"/>), so recorders finalise files while the streaming core and
/// Kestrel are still up.
/// </summary>
public sealed class ShutdownService(ShutdownCoordinator coordinator) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => coordinator.StopAllAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
