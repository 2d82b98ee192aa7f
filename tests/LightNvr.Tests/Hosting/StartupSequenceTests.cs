using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Media;
using LightNvr.Recording;
using LightNvr.Storage;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LightNvr.Tests.Hosting;

/// <summary>
/// Start-up order is the list in <see cref="StartupSequence"/>, not the order of the <c>Add…</c> calls: hosted services
/// start in the list's order, every subsystem's hosted service has a place in it, and recording recovery completes
/// before the first camera starts even when the cameras are registered first.
/// </summary>
public sealed class StartupSequenceTests
{
    private sealed class StartLog
    {
        public readonly List<string> Started = [];
    }

    private abstract class Probe(StartLog log, string name) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await Task.Yield(); // a real start awaits something; the next must still wait for it
            lock (log.Started)
            {
                log.Started.Add(name);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class First(StartLog log) : Probe(log, "first");

    private sealed class Second(StartLog log) : Probe(log, "second");

    private sealed class Unlisted(StartLog log) : Probe(log, "unlisted");

    [Fact]
    public async Task Hosted_services_start_in_the_listed_order_not_the_registration_order()
    {
        var log = new StartLog();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(log);
        builder.Services.AddHostedService<Unlisted>();
        builder.Services.AddHostedService<Second>();
        builder.Services.AddHostedService(sp => new First(sp.GetRequiredService<StartLog>())); // a factory, as most subsystems register
        builder.Services.StartInOrder([typeof(First), typeof(Second)]);

        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(["unlisted", "first", "second"], log.Started);
    }

    [Fact]
    public void Every_hosted_service_of_the_subsystems_starts_at_its_place_in_the_sequence()
    {
        using var folder = new TempFolder();
        var config = new LightNvrConfig { Database = new DatabaseOptions { Path = folder.File("lightnvr.db") } };
        var services = new ServiceCollection();
        services.AddLightNvrHostServices(config);
        services.AddLightNvrSubsystems(config);

        var hosted = services.Select(HostedServiceOrder.HostedType).OfType<Type>().Where(t => t != typeof(ShutdownService)).ToList();

        Assert.Equal(StartupSequence.Steps, hosted);
    }

    /// <summary>A camera that connects and then waits (no frames are needed to start a camera).</summary>
    private sealed class IdleSources : ICameraSourceFactory
    {
        public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream) => (_, ct) => Task.Delay(Timeout.Infinite, ct);
    }

    /// <summary>Open rows left for recovery: about 0.1–0.5 s of row deletes here, a camera starts in milliseconds.</summary>
    private const int OpenRows = 200;

    [Fact]
    public async Task Recovery_completes_before_the_first_camera_starts_even_when_cameras_are_registered_first()
    {
        using var folder = new TempFolder();
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = folder.File("lightnvr.db") },
            Storage = new StorageOptions { Path = folder.File("recordings"), Mp4Path = folder.File("recordings/mp4") },
        };
        var db = new Database(config.Database.Path);
        await db.MigrateAsync(TimeProvider.System);
        await new StreamStore(db).InsertAsync(new StreamConfig { Name = "cam", Url = "rtsp://cam" });
        // Segments cut by a crash whose files never reached the disk: recovery deletes their rows, one by one. Enough of
        // them that recovery takes far longer than a camera start (the camera service runs its start-up on its own
        // task), so a camera started alongside recovery would see rows still open.
        var recordings = new RecordingStore(db, TimeProvider.System);
        for (var i = 0; i < OpenRows; i++)
        {
            await recordings.InsertOpenAsync(new RecordingRecord
            {
                StreamName = "cam", FilePath = folder.File($"recordings/mp4/cam/gone{i}.mp4"),
                StartTime = DateTimeOffset.UtcNow.AddSeconds(i), TriggerType = "scheduled",
            });
        }
        var openAtFirstStart = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new RecordingStore(db, TimeProvider.System);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddLightNvrHostServices(config);
        builder.Services.AddLightNvrData(config);
        builder.Services.AddLightNvrCameras<IdleSources>(); // before recording: the wrong order on purpose
        builder.Services.AddLightNvrRecording();
        builder.Services.AddSingleton<IRecordingFileLocator>(new RecordingFileLocator(new StorageRoot(config.Storage)));
        builder.Services.StartInOrder(StartupSequence.Steps);
        using var host = builder.Build();
        host.Services.GetRequiredService<CameraService>().CameraStarted += async (_, ct) =>
            openAtFirstStart.TrySetResult((await store.ListIncompleteAsync(ct)).Count);
        await host.StartAsync();
        try
        {
            var open = await openAtFirstStart.Task.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(0, open);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
