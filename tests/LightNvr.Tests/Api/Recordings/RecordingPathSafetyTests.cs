using System.Net;

namespace LightNvr.Tests.Api.Recordings;

/// <summary>
/// No path leaves the storage folder: rows naming files outside it (absolute path, '..', a symlink inside the folder
/// pointing out) are never served, exported, zipped or deleted; files/check and DELETE files refuse such paths
/// (plain, percent-encoded '..', absolute, symlinked).
/// </summary>
public sealed class RecordingPathSafetyTests
{
    [Theory]
    [InlineData("absolute")]
    [InlineData("dotdot")]
    [InlineData("symlink")]
    public async Task Row_with_a_path_outside_storage_is_not_served(string kind)
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var secret = Path.Combine(host.Host.DataFolder, "secret.mp4");
        await File.WriteAllTextAsync(secret, "secret");
        var path = kind switch
        {
            "absolute" => secret,
            "dotdot" => Path.Combine(host.Mp4Path, "..", "..", "secret.mp4"),
            _ => Path.Combine(host.Mp4Path, "link.mp4"),
        };
        if (kind == "symlink")
        {
            File.CreateSymbolicLink(path, secret);
        }
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddHours(-1), new byte[6], path: path);
        using var client = host.Admin();
        foreach (var url in new[] { $"/api/recordings/play/{id}", $"/api/recordings/download/{id}", $"/api/recordings/thumbnail/{id}/0" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using (var zip = await client.PostAsync("/api/recordings/batch-download", Support.TestServerHost.Json($$"""{"ids":[{{id}}]}""")))
        {
            var token = System.Text.Json.JsonDocument.Parse(await zip.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
            var bytes = await client.GetByteArrayAsync($"/api/recordings/batch-download/result/{token}");
            Assert.DoesNotContain("secret", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }
        using (var delete = await client.DeleteAsync($"/api/recordings/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode); // the row goes ...
        }
        Assert.True(File.Exists(secret)); // ... the file outside stays
    }

    [Theory]
    [InlineData("{storage}/../secret.mp4")]
    [InlineData("{storage}/mp4/..%2F..%2Fsecret.mp4")]
    [InlineData("{data}/secret.mp4")]
    [InlineData("/etc/passwd")]
    [InlineData("{storage}/link.mp4")]
    [InlineData("{storage}/linkdir/secret.mp4")]
    [InlineData("relative/path.mp4")]
    public async Task Files_check_and_delete_refuse_paths_outside_storage(string template)
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var secret = Path.Combine(host.Host.DataFolder, "secret.mp4");
        await File.WriteAllTextAsync(secret, "secret");
        File.CreateSymbolicLink(Path.Combine(host.Config.Storage.Path, "link.mp4"), secret);
        Directory.CreateSymbolicLink(Path.Combine(host.Config.Storage.Path, "linkdir"), host.Host.DataFolder);
        var path = template.Replace("{storage}", host.Config.Storage.Path, StringComparison.Ordinal)
            .Replace("{data}", host.Host.DataFolder, StringComparison.Ordinal);
        var query = path.Contains("%2F", StringComparison.Ordinal) ? path : Uri.EscapeDataString(path);
        using var client = host.Admin();
        using (var check = await client.GetAsync("/api/recordings/files/check?path=" + query))
        {
            Assert.Equal(HttpStatusCode.Forbidden, check.StatusCode);
        }
        using (var delete = await client.DeleteAsync("/api/recordings/files?path=" + query))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }
        Assert.True(File.Exists(secret));
    }

    [Fact]
    public async Task Files_check_and_delete_work_inside_storage()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var stray = Path.Combine(host.Mp4Path, "stray.tmp");
        await File.WriteAllTextAsync(stray, "12345");
        using var client = host.Admin();
        var check = await client.GetStringAsync("/api/recordings/files/check?path=" + Uri.EscapeDataString(stray));
        Assert.Contains("\"exists\":true,\"size\":5", check, StringComparison.Ordinal);
        using var delete = await client.DeleteAsync("/api/recordings/files?path=" + Uri.EscapeDataString(stray));
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.False(File.Exists(stray));

        // A file that a recording row names is deleted through the recording, not here.
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddHours(-1), new byte[10]);
        var file = (await host.Host.Service<LightNvr.Data.RecordingStore>().GetAsync(id))!.FilePath;
        using var refused = await client.DeleteAsync("/api/recordings/files?path=" + Uri.EscapeDataString(file));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Theory]
    [InlineData("/api/recordings/play/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/recordings/play/-1")]
    [InlineData("/api/recordings/download/1e3")]
    [InlineData("/api/recordings/thumbnail/%2Fetc%2Fpasswd/0")]
    public async Task Ids_that_are_not_numbers_are_400(string url)
    {
        await using var host = await RecordingsApiHost.StartAsync();
        using var client = host.Admin();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Stream_names_with_dots_find_nothing_outside()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        using var client = host.Admin();
        foreach (var url in new[] { "/api/recordings/export?stream=..%2F..&start=0&end=60", "/api/timeline/play?stream=..%2F..",
                     "/api/timeline/segments?stream=..%2F.." })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.OK, url);
            Assert.DoesNotContain("passwd", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
