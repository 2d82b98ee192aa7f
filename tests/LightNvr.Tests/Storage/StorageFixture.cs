using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.IO;
using LightNvr.Recording;
using LightNvr.Storage;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Storage;

/// <summary>
/// A migrated SQLite database and a storage folder in a temp folder, a manual clock, a fake disk whose free space is
/// "capacity minus the bytes of the segment files on disk" (so deleting a file relieves pressure, as on a real disk),
/// and the storage manager's parts wired by hand. Segment files hold <see cref="AddAsync"/>'s byte count of zeros:
/// retention never reads media.
/// </summary>
public sealed class StorageFixture : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private int _files;

    private StorageFixture(Func<LightNvrConfig, Database> open)
    {
        Snapshots = new ConfigSnapshots(new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = _folder.File("lightnvr.db") },
            Storage = new StorageOptions
            {
                Path = _folder.File("recordings"), Mp4Path = _folder.File("recordings/mp4"), RetentionDays = 0, MinFreePct = 0,
            },
        });
        Directory.CreateDirectory(Config.Storage.Mp4Path);
        Database = open(Config);
        Root = new StorageRoot(Config.Storage);
        Disk = new FakeDisk(Root);
        Recordings = new RecordingStore(Database, Time);
        Streams = new StreamStore(Database);
        Retention = new RetentionStore(Database, Time);
        Files = new RecordingFiles(Recordings, Retention, new RecordingFileLocator(Root), NullLogger<RecordingFiles>.Instance);
        Events = new EventStore(Database);
        Detections = new DetectionStore(Database);
        Sweep = new RetentionSweep(Retention, Files, Streams, Root, Disk, Snapshots.Storage, Time,
            new DetectionPurge(Events, Detections, Root));
    }

    /// <summary>The configuration in effect; a test changes a storage key with <see cref="UpdateStorage"/>.</summary>
    public LightNvrConfig Config => Snapshots.Current;
    public ConfigSnapshots Snapshots { get; }
    public TestClock Time { get; } = new();
    public Database Database { get; }
    public StorageRoot Root { get; }
    public FakeDisk Disk { get; }
    public RecordingStore Recordings { get; }
    public StreamStore Streams { get; }
    public RetentionStore Retention { get; }
    public RecordingFiles Files { get; }
    public RetentionSweep Sweep { get; }
    public EventStore Events { get; }
    public DetectionStore Detections { get; }
    public string Folder => _folder.Path;

    /// <summary>Publishes a new snapshot with <paramref name="change"/> applied to [storage] (as the settings API does).</summary>
    public void UpdateStorage(Func<StorageOptions, StorageOptions> change) =>
        Snapshots.Publish(Config with { Storage = change(Config.Storage) });

    public static async Task<StorageFixture> CreateAsync(DatabaseEngine? engine = null)
    {
        var pg = (engine ?? TestDatabases.Default) == DatabaseEngine.Postgresql
            ? await PostgresServer.CreateDatabaseAsync("migrated", TestDatabases.MigrateTemplateAsync)
            : null;
        var f = new StorageFixture(c => pg is null ? new Database(c.Database.Path) : Database.Postgresql(pg));
        await f.Database.MigrateAsync(f.Time);
        return f;
    }

    /// <summary>A recording of <paramref name="stream"/> that started <paramref name="age"/> ago, lasting 60 s.</summary>
    public async Task<long> AddAsync(string stream, TimeSpan age, long bytes = 1000, bool complete = true, bool isProtected = false,
        int? overrideDays = null, string trigger = "scheduled", string node = "")
    {
        var start = Time.GetUtcNow() - age;
        var dir = Path.Combine(Config.Storage.Mp4Path, stream);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"recording_{start.UtcTicks}_{++_files}.mp4");
        await File.WriteAllBytesAsync(path, new byte[bytes]);
        var id = await Recordings.InsertOpenAsync(new RecordingRecord
        {
            StreamName = stream, FilePath = path, StartTime = start, SizeBytes = bytes, TriggerType = trigger,
            Protected = isProtected, RetentionOverrideDays = overrideDays, NodeId = node,
        });
        if (complete)
        {
            await Recordings.CompleteAsync(id, start.AddSeconds(60), bytes, 640, 360, 15, "h264");
        }
        return id;
    }

    /// <summary>
    /// A fixture for the per-location retention tests (docs/scale.md "Retention with several nodes"): 30 days'
    /// retention and one stream, <c>cam</c>.
    /// </summary>
    public static async Task<StorageFixture> ForLocationsAsync(DatabaseEngine engine)
    {
        var f = await CreateAsync(engine);
        f.UpdateStorage(s => s with { RetentionDays = 30 });
        await f.AddStreamAsync("cam");
        return f;
    }

    /// <summary>Registers recorder node <paramref name="node"/> (its heartbeat row) with its storage location.</summary>
    public Task JoinAsync(string node, string storageId = "") =>
        new LeaseStore(Database).HeartbeatAsync(new NodeRecord { NodeId = node, StorageId = storageId, Capacity = 16 });

    public async Task AddStreamAsync(string name, int retentionDays = -1, int detectionRetentionDays = -1, long maxStorageMb = 0) =>
        await Streams.InsertAsync(new StreamConfig
        {
            Name = name, Url = "rtsp://127.0.0.1/" + name, RetentionDays = retentionDays,
            DetectionRetentionDays = detectionRetentionDays, MaxStorageMb = maxStorageMb,
        });

    /// <summary>The same sweep limited to what <paramref name="location"/> allows (recorder nodes, docs/scale.md).</summary>
    public RetentionSweep SweepAt(SweepLocation location) => new(Retention, Files, Streams, Root, Disk, Snapshots.Storage, Time,
        new DetectionPurge(Events, Detections, Root), location);

    public async Task<bool> ExistsAsync(long id) => await Recordings.GetAsync(id) is not null;

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>A disk of <see cref="Capacity"/> bytes whose used space is the segment files' bytes.</summary>
    public sealed class FakeDisk(StorageRoot root) : IDiskSpaceProbe
    {
        public long Capacity { get; set; } = 1_000_000;

        public DiskSpace? Probe(string path)
        {
            var used = Directory.EnumerateFiles(root.Path, "*.mp4", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            return new DiskSpace(Capacity, used, Math.Max(0, Capacity - used));
        }
    }
}
