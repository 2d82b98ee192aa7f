using LightNvr.Api.Recordings;
using LightNvr.Api.System;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Storage;
using LightNvr.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Tests.Api.Recordings;

/// <summary>
/// <see cref="TestServerHost"/> with the recordings, timeline and storage endpoints and the storage manager (retention
/// unlimited and no free-space target unless a test sets them, so the start-up sweep deletes nothing), users of every
/// role, and helpers that put segment files and rows in the storage folder.
/// </summary>
public sealed class RecordingsApiHost : IAsyncDisposable
{
    public const string Password = "password-123";
    private int _files;

    private RecordingsApiHost(TestServerHost host) => Host = host;

    public TestServerHost Host { get; }
    public LightNvrConfig Config => Host.Config;
    public string Mp4Path => Config.Storage.Mp4Path;

    public static async Task<RecordingsApiHost> StartAsync(Func<LightNvrConfig, LightNvrConfig>? configure = null)
    {
        LightNvrConfig? config = null;
        var host = await TestServerHost.StartAsync(c =>
        {
            c = c with
            {
                Storage = c.Storage with { Mp4Path = Path.Combine(c.Storage.Path, "mp4"), RetentionDays = 0, MinFreePct = 0 },
            };
            config = configure?.Invoke(c) ?? c;
            return config;
        }, services =>
        {
            services.AddSingleton<ShutdownCoordinator>();
            services.AddLightNvrStorage(config!);
        }, app =>
        {
            app.MapRecordingEndpoints();
            app.MapRecordingFileEndpoints();
            app.MapRecordingManageEndpoints();
            app.MapRecordingTagEndpoints();
            app.MapRecordingBatchEndpoints();
            app.MapRecordingMaintenanceEndpoints();
            app.MapRecordingExportEndpoints();
            app.MapTimelineEndpoints();
            app.MapStorageEndpoints();
        });
        Directory.CreateDirectory(host.Config.Storage.Mp4Path);
        var h = new RecordingsApiHost(host);
        await host.CreateUserAsync("operator", Password, Role.User);
        await host.CreateUserAsync("viewer", Password, Role.Viewer);
        await host.CreateUserAsync("apiuser", Password, Role.Api);
        return h;
    }

    public HttpClient Admin() => Host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);

    public HttpClient As(string user) => user switch
    {
        "admin" => Admin(),
        "anonymous" => Host.Client(),
        _ => Host.BasicClient(user, Password),
    };

    /// <summary>A complete recording with <paramref name="content"/> as its file, started at <paramref name="start"/>, 60 s long.</summary>
    public async Task<long> AddAsync(string stream, DateTimeOffset start, byte[] content, bool complete = true,
        string trigger = "scheduled", string? path = null, int seconds = 60)
    {
        if (path is null)
        {
            var dir = Path.Combine(Mp4Path, stream);
            Directory.CreateDirectory(dir);
            path = Path.Combine(dir, $"recording_{start:yyyyMMdd_HHmmss}_{++_files}.mp4");
            await File.WriteAllBytesAsync(path, content);
        }
        var store = Host.Service<RecordingStore>();
        var id = await store.InsertOpenAsync(new RecordingRecord
        {
            StreamName = stream, FilePath = path, StartTime = start, SizeBytes = content.Length, TriggerType = trigger,
        });
        if (complete)
        {
            await store.CompleteAsync(id, start.AddSeconds(seconds), content.Length, 640, 360, 15, "h264");
        }
        return id;
    }

    public static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 % 251)).ToArray();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
