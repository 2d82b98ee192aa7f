using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

/// <summary>
/// Settings changes publish a new immutable snapshot (issue 12, item 5): the snapshot a reader holds never changes,
/// the new one appears whole, a failed save publishes nothing, and live/restart follows each key's Applies.
/// </summary>
public sealed class ConfigSnapshotsTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly ConfigSnapshots _snapshots;
    private readonly SettingsService _settings;

    public ConfigSnapshotsTests()
    {
        var file = _dir.File("lightnvr.ini", "[storage]\npressure_warning_pct = 20\n");
        _snapshots = new ConfigSnapshots(ConfigLoader.Load(file, new Dictionary<string, string>(), "/").Config);
        _settings = new SettingsService(_snapshots);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_change_publishes_a_new_snapshot_and_leaves_the_one_readers_hold_untouched()
    {
        var held = _snapshots.Current;
        var storage = _snapshots.Storage;
        var heldStorage = storage.Current;
        var changes = new List<ConfigChange>();
        _snapshots.Changed += changes.Add;

        var r = _settings.Apply("""{"storage_pressure_warning_pct":40,"storage_pressure_critical_pct":30,"web_port":9090}""");

        Assert.Null(r.Error);
        Assert.True(r.RestartRequired); // web_port applies after a restart
        Assert.NotSame(held, _snapshots.Current);
        Assert.Equal((20, 10, 8080), (held.Storage.PressureWarningPct, held.Storage.PressureCriticalPct, held.Web.Port));
        Assert.Equal((20, 10), (heldStorage.PressureWarningPct, heldStorage.PressureCriticalPct));
        Assert.Equal((40, 30, 9090), (storage.Current.PressureWarningPct, storage.Current.PressureCriticalPct, _snapshots.Current.Web.Port));
        var change = Assert.Single(changes);
        Assert.Same(held, change.Previous);
        Assert.Same(_snapshots.Current, change.Current);
        Assert.True(change.Touches("storage", "pressure_warning_pct"));
        Assert.Equal(3, change.Keys.Count);

        // Every section was copied: the sections nobody changed are equal but not shared with the old snapshot.
        Assert.NotSame(held.Mqtt, _snapshots.Current.Mqtt);
        Assert.Equal(held.Database.Path, _snapshots.Current.Database.Path);
        Assert.Equal(held.SourceFile, _snapshots.Current.SourceFile);
    }

    [Fact]
    public void A_refused_change_publishes_nothing()
    {
        var held = _snapshots.Current;
        var changes = 0;
        _snapshots.Changed += _ => changes++;

        // pressure_critical_pct must stay below pressure_warning_pct (the cross-key rule is checked on the copy).
        var r = _settings.Apply("""{"storage_pressure_critical_pct":50}""");

        Assert.Equal(400, r.Status);
        Assert.Same(held, _snapshots.Current);
        Assert.Equal(10, _snapshots.Current.Storage.PressureCriticalPct);
        Assert.Equal(0, changes);
    }

    [Theory]
    [InlineData("""{"log_level":3}""", false)]
    [InlineData("""{"auth_timeout_hours":2,"retention_days":3,"max_streams":4}""", false)]
    [InlineData("""{"mqtt_enabled":true}""", true)] // stored, no effect yet: nothing reads it live
    [InlineData("""{"db_path":"/tmp/other.db"}""", true)]
    public void Restart_required_follows_each_keys_Applies(string body, bool restart)
    {
        var r = _settings.Apply(body);
        Assert.Null(r.Error);
        Assert.Equal(restart, r.RestartRequired);
    }

    [Fact]
    public void Readers_see_either_snapshot_whole_while_changes_are_published()
    {
        using var stop = new CancellationTokenSource();
        var torn = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var s = _snapshots.Current.Storage; // one snapshot: its two values were published together
                if (s.PressureWarningPct - s.PressureCriticalPct != 10)
                {
                    torn++;
                }
            }
        });
        for (var i = 0; i < 100; i++)
        {
            var warning = 30 + (i % 2 * 20);
            Assert.Null(_settings.Apply($$"""{"storage_pressure_warning_pct":{{warning}},"storage_pressure_critical_pct":{{warning - 10}}}""").Error);
        }

        stop.Cancel();
        reader.Wait();
        Assert.Equal(0, torn);
    }
}
