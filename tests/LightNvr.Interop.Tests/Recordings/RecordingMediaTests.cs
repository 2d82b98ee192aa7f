using System.Net.Http.Headers;
using System.Net;
using System.Text;
using LightNvr.Api.Recordings;
using LightNvr.Api.System;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Storage;
using LightNvr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Interop.Tests.Recordings;

/// <summary>
/// Real recordings through the HTTP API: ffmpeg encodes 9 s of H.264 (640x360, 15 fps, 1 s GOP), our muxer cuts it
/// into three 3 s segments as the recorder does, rows point at them; then thumbnails must be real JPEGs (SOI/EOI,
/// ffprobe reads 320 px wide), and an export across both segment boundaries must decode cleanly with
/// <c>ffmpeg -xerror</c>, last what was asked within a GOP, and serve any byte range of itself.
/// </summary>
public sealed class RecordingMediaTests
{
    private const long T0 = 1_700_000_000_000; // ExportInteropTests' segment time axis (unix ms)

    [Fact]
    public async Task Thumbnails_are_real_jpegs_made_once()
    {
        using var dir = new TempFolder("rec");
        await using var host = await StartAsync(dir);
        var ids = await RecordAsync(dir, host);
        using var client = Client(host);
        foreach (var index in new[] { 0, 1, 2 })
        {
            using var response = await client.GetAsync($"/api/recordings/thumbnail/{ids[1]}/{index}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            var jpeg = await response.Content.ReadAsByteArrayAsync();
            Assert.True(jpeg.Length > 1000);
            Assert.Equal([0xFF, 0xD8], jpeg[..2]);   // SOI
            Assert.Equal([0xFF, 0xD9], jpeg[^2..]);  // EOI
            var path = Path.Combine(dir.Path, "thumbnails", $"{ids[1]}_{index}.jpg");
            var (_, json, _) = Ffmpeg.Run("ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", path);
            Assert.Equal("320,180", json.Trim());
        }
        var cached = File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "thumbnails", $"{ids[1]}_0.jpg"));
        using (await client.GetAsync($"/api/recordings/thumbnail/{ids[1]}/0"))
        {
            Assert.Equal(cached, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "thumbnails", $"{ids[1]}_0.jpg")));
        }
    }

    [Fact]
    public async Task Export_across_segment_boundaries_decodes_and_lasts_what_was_asked()
    {
        using var dir = new TempFolder("rec");
        await using var host = await StartAsync(dir);
        await RecordAsync(dir, host);
        using var client = Client(host);
        // 2.5 s .. 7.3 s: crosses both boundaries (3 s, 6 s); start is cut back to the keyframe at 2 s.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(T0 + 2000).ToUnixTimeSeconds();
        var url = $"/api/recordings/export?stream=cam1&start={start}&end=" +
                  Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 7000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("cam1_20231114_221322-20231114_221327.mp4", response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var whole = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(response.Content.Headers.ContentLength, whole.Length);
        var output = dir.File("export.mp4");
        await File.WriteAllBytesAsync(output, whole);
        Assert.Equal("", Ffmpeg.DecodeErrors(output));
        Assert.InRange(Ffmpeg.FormatDuration(output), 5.0 - 0.1, 5.0 + 1.0 + 0.1); // asked 5 s, a GOP is 1 s

        foreach (var (range, from, count) in new[] { ("bytes=0-99", 0, 100), ("bytes=5000-69999", 5000, 65000), ("bytes=-10", whole.Length - 10, 10) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Range", range);
            using var part = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(whole.AsSpan(from, count).ToArray(), await part.Content.ReadAsByteArrayAsync());
        }
        using var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.TryAddWithoutValidation("Range", $"bytes={whole.Length}-");
        using var unsatisfiable = await client.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal($"bytes */{whole.Length}", unsatisfiable.Content.Headers.ContentRange!.ToString());

        using var tooLong = await client.GetAsync($"/api/recordings/export?stream=cam1&start={start}&end={start + (3 * 3600)}");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var nothing = await client.GetAsync($"/api/recordings/export?stream=cam1&start={start - 86400}&end={start - 86000}");
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        using var bad = await client.GetAsync("/api/recordings/export?stream=cam1&start=soon&end=later");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    /// <summary>Three 3 s segments of real H.264 under the storage folder, with complete rows.</summary>
    private static async Task<List<long>> RecordAsync(TempFolder dir, WebApplication host)
    {
        var source = SourceMedia.Encode(dir, "src.mp4", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p -vf scale=640:360", null, seconds: 9);
        var frames = SourceMedia.Frames(source, out var tracks);
        File.Delete(source);
        var sources = ExportInteropTests.RecordSegments(dir, tracks, frames, segmentSeconds: 3);
        var store = host.Services.GetRequiredService<RecordingStore>();
        var ids = new List<long>();
        for (var i = 0; i < sources.Count; i++)
        {
            var startTime = DateTimeOffset.FromUnixTimeMilliseconds(sources[i].StartMs);
            var end = i + 1 < sources.Count ? DateTimeOffset.FromUnixTimeMilliseconds(sources[i + 1].StartMs) : startTime.AddSeconds(3);
            var size = new FileInfo(sources[i].Path).Length;
            var id = await store.InsertOpenAsync(new RecordingRecord { StreamName = "cam1", FilePath = sources[i].Path, StartTime = startTime });
            await store.CompleteAsync(id, end, size, 640, 360, 15, "h264");
            ids.Add(id);
        }
        return ids;
    }

    private static async Task<WebApplication> StartAsync(TempFolder dir)
    {
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = Path.Combine(dir.Path, "lightnvr.db") },
            Storage = new StorageOptions { Path = dir.Path, Mp4Path = dir.Path, RetentionDays = 0, MinFreePct = 0 },
            Web = new WebOptions { Username = "admin", Password = "admin-password-1" },
        };
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dir.Path });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<ShutdownCoordinator>();
        builder.Services.AddLightNvrData(config);
        builder.Services.AddLightNvrAuth(config, new PasswordHashingOptions { Iterations = 1000 });
        builder.Services.AddLightNvrStorage(config);
        var app = builder.Build();
        app.UseLightNvrAuth();
        app.MapRecordingEndpoints();
        app.MapRecordingFileEndpoints();
        app.MapRecordingManageEndpoints();
        app.MapRecordingTagEndpoints();
        app.MapRecordingBatchEndpoints();
        app.MapRecordingMaintenanceEndpoints();
        app.MapRecordingExportEndpoints();
        app.MapTimelineEndpoints();
        app.MapStorageEndpoints();
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin-password-1")));
        return client;
    }
}
