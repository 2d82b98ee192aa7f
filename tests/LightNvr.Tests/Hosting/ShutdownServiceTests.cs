using System.Collections.Concurrent;
using LightNvr.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Hosting;

public class ShutdownServiceTests
{
    private sealed class Recorder(ConcurrentQueue<string> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            log.Enqueue("hosted service stopped");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Registered_components_stop_before_any_hosted_service()
    {
        var log = new ConcurrentQueue<string>();
        var coordinator = new ShutdownCoordinator(TimeProvider.System, NullLogger<ShutdownCoordinator>.Instance);
        coordinator.Register("core", ShutdownPriority.StreamingCore, _ => { log.Enqueue("core"); return Task.CompletedTask; });
        coordinator.Register("recorder", ShutdownPriority.Recorders, _ => { log.Enqueue("recorder"); return Task.CompletedTask; });
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(coordinator);
        builder.Services.AddHostedService(_ => new Recorder(log));
        builder.Services.AddHostedService<ShutdownService>();
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["recorder", "core", "hosted service stopped"], log);
    }
}
