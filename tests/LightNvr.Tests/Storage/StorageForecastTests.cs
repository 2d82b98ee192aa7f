using System.Text.Json;
using LightNvr.Data;
using LightNvr.IO;
using LightNvr.Storage;
using LightNvr.Tests.Api.Recordings;

namespace LightNvr.Tests.Storage;

/// <summary>
/// The fill rate and projections of <c>GET /api/storage/health</c>, from rows and files in a real SQLite database and
/// storage folder with a manual clock.
/// </summary>
public sealed class StorageForecastTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private const long Day = 86400;

    [Fact]
    public async Task Rate_counts_recordings_started_in_the_window_and_the_open_segment_by_its_file()
    {
        await using var f = await StorageFixture.CreateAsync();
        var stats = new StorageStatsStore(f.Database);
        await f.AddAsync("cam1", TimeSpan.FromDays(3), bytes: 900_000);      // before the day: week only
        await f.AddAsync("cam1", 12 * Hour, bytes: 100_000);
        await f.AddAsync("cam2", 6 * Hour, bytes: 200_000);
        var open = await f.AddAsync("cam1", Hour, bytes: 1_000, complete: false);
        // The open segment grew on disk since its row's last size refresh.
        await File.WriteAllBytesAsync((await f.Recordings.GetAsync(open))!.FilePath, new byte[50_000]);
        var now = f.Time.GetUtcNow();

        var day = await stats.RecordedSinceAsync((now - StorageForecast.RateWindow).ToUnixTimeSeconds(), f.Root.FileLength, default);
        var week = await stats.RecordedSinceAsync((now - StorageForecast.LongRateWindow).ToUnixTimeSeconds(), f.Root.FileLength, default);

        Assert.Equal(new RecordedBytes(350_000, 3, (now - 12 * Hour).ToUnixTimeSeconds(), SpansStart: false), day);
        Assert.Equal(new RecordedBytes(1_250_000, 4, (now - TimeSpan.FromDays(3)).ToUnixTimeSeconds(), SpansStart: false), week);
        // 350 kB in the 12 h since the oldest recording of the day: 700 kB a day. 1.25 MB over 3 days.
        Assert.Equal(700_000, StorageForecast.RatePerDay(day, now, StorageForecast.RateWindow), 3);
        Assert.Equal(1_250_000 / 3.0, StorageForecast.RatePerDay(week, now, StorageForecast.LongRateWindow), 3);
    }

    [Fact]
    public async Task Rows_being_deleted_do_not_count()
    {
        await using var f = await StorageFixture.CreateAsync();
        var stats = new StorageStatsStore(f.Database);
        var now = f.Time.GetUtcNow();
        for (var h = 47; h >= 0; h--)
        {
            await f.AddAsync("cam1", h * Hour + TimeSpan.FromMinutes(30), bytes: 10_000); // every hour for two days
        }
        var marked = await f.AddAsync("cam1", 2 * Hour, bytes: 5_000_000);
        Assert.True(await f.Recordings.MarkDeletingAsync(marked));

        var day = await stats.RecordedSinceAsync((now - StorageForecast.RateWindow).ToUnixTimeSeconds(), f.Root.FileLength, default);

        Assert.Equal(24, day.Count);
        // These 60 s recordings leave a gap at the window's start: the day's 240 kB took the 23.5 h since the oldest.
        Assert.False(day.SpansStart);
        Assert.Equal(240_000 * 24 / 23.5, StorageForecast.RatePerDay(day, now, StorageForecast.RateWindow), 3);
    }

    [Fact]
    public void No_rate_without_enough_recording_and_then_every_projection_is_minus_one()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var options = new LightNvr.Config.StorageOptions { MinFreePct = 10, MaxSize = 1_000_000 };
        var disk = new DiskSpace(1_000_000, 500_000, 500_000);
        var none = new RecordedBytes(0, 0, null);
        var fewMinutes = new RecordedBytes(10_000, 1, now.ToUnixTimeSeconds() - 300);

        foreach (var recorded in new[] { none, fewMinutes })
        {
            var forecast = StorageForecast.Compute(recorded, recorded, now, disk, 100, options);
            Assert.Equal(0, forecast.FillRateBytesPerDay);
            Assert.Equal(StorageForecast.Unknown, forecast.SecondsToTarget);
            Assert.Equal(StorageForecast.Unknown, forecast.SecondsToMaxSize);
            Assert.Equal(-1, StorageForecast.Days(forecast.SecondsToTarget));
        }
    }

    [Fact]
    public void Projection_to_min_free_pct_and_to_max_size()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var options = new LightNvr.Config.StorageOptions { MinFreePct = 10, MaxSize = 2_000_000 };
        // 100 kB a day, recorded over the whole last day.
        var day = new RecordedBytes(100_000, 24, now.ToUnixTimeSeconds() - Day);
        var disk = new DiskSpace(10_000_000, 9_500_000, 500_000);

        var forecast = StorageForecast.Compute(day, day, now, disk, recordingBytes: 1_500_000, options);

        Assert.Equal(100_000, forecast.FillRateBytesPerDay, 3);
        // Free 500 kB, target 10 % of 10 MB = 1 MB: already below, so 0.
        Assert.Equal(0, forecast.SecondsToTarget);
        // 500 kB left under max_size at 100 kB a day: 5 days.
        Assert.Equal(5, StorageForecast.Days(forecast.SecondsToMaxSize));

        var roomy = StorageForecast.Compute(day, day, now, new DiskSpace(10_000_000, 6_000_000, 4_000_000), 1_500_000,
            new LightNvr.Config.StorageOptions { MinFreePct = 10, MaxSize = 0 });
        // (4 MB free − 1 MB target) / 100 kB a day = 30 days; no max_size: -1.
        Assert.Equal(30 * Day, roomy.SecondsToTarget, 3);
        Assert.Equal(StorageForecast.Unknown, roomy.SecondsToMaxSize);
    }

    [Fact]
    public async Task Health_reports_the_rate_and_projections_from_the_database()
    {
        await using var host = await RecordingsApiHost.StartAsync(c => c with { Storage = c.Storage with { MaxSize = 10_000_000 } });
        var now = host.Host.Time.GetUtcNow();
        // Two hours from 25 h ago: going on when the day's window opened, so the day is covered from its start.
        await host.AddAsync("cam1", now - TimeSpan.FromHours(25), RecordingsApiHost.Pattern(100_000), seconds: 7200);
        for (var h = 22; h >= 2; h -= 2)
        {
            await host.AddAsync("cam1", now - TimeSpan.FromHours(h), RecordingsApiHost.Pattern(100_000));
        }
        using var client = host.As("viewer");

        var health = JsonDocument.Parse(await client.GetStringAsync("/api/storage/health")).RootElement;

        // Day: 11 × 100 kB started in it = 1.1 MB a day. Week: 1.2 MB over the 25 h since the oldest start.
        Assert.Equal(1_100_000, health.GetProperty("fill_rate_bytes_per_day").GetInt64());
        Assert.Equal(1_152_000, health.GetProperty("fill_rate_bytes_per_day_7d").GetInt64());
        // 10 MB max_size − 1.2 MB stored = 8.8 MB at 1.1 MB a day: 8 days.
        Assert.Equal(8, health.GetProperty("projected_days_to_max_size").GetDouble());
        // The real disk of the test machine: a projection to min_free_pct = 0 (until full), positive.
        Assert.True(health.GetProperty("projected_seconds_to_target").GetInt64() > 0);
        Assert.True(health.GetProperty("projected_days_to_target").GetDouble() > 0);
    }
}
