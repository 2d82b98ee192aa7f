using System.Net.Http.Headers;
using System.Net;
using LightNvr.Api.Recordings;

namespace LightNvr.Tests.Api.Recordings;

/// <summary>Play and download of a recording file: Range (first bytes, middle, suffix, open, invalid), caching headers.</summary>
public sealed class RecordingPlaybackTests
{
    private const int Size = 100_000;

    public static TheoryData<string, int, int> Ranges => new()
    {
        { "bytes=0-99", 0, 100 },            // first bytes
        { "bytes=40000-49999", 40000, 10000 }, // middle
        { "bytes=-500", Size - 500, 500 },   // suffix
        { "bytes=99000-", 99000, 1000 },     // open
        { "bytes=99990-200000", 99990, 10 }, // end past the size is clipped
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Range_gives_206_with_the_exact_bytes(string range, int from, int count)
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var content = RecordingsApiHost.Pattern(Size);
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddHours(-1), content);
        using var client = host.As("viewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/play/{id}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{from + count - 1}/{Size}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(from, count).ToArray(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("bytes=100000-")]
    [InlineData("bytes=200000-300000")]
    public async Task Unsatisfiable_range_is_416_with_the_size(string range)
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddHours(-1), RecordingsApiHost.Pattern(Size));
        using var client = host.As("viewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/play/{id}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{Size}", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Complete_file_has_validators_and_download_is_an_attachment()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var content = RecordingsApiHost.Pattern(Size);
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddHours(-1), content);
        using var client = host.As("viewer");
        using var play = await client.GetAsync($"/api/recordings/play/{id}");
        Assert.Equal(HttpStatusCode.OK, play.StatusCode);
        Assert.Equal("bytes", play.Headers.AcceptRanges.Single());
        Assert.NotNull(play.Headers.ETag);
        Assert.NotNull(play.Content.Headers.LastModified);
        Assert.Equal(content, await play.Content.ReadAsByteArrayAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/play/{id}");
        again.Headers.IfNoneMatch.Add(play.Headers.ETag!);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var download = await client.GetAsync($"/api/recordings/download/{id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Matches("^recording_[0-9_]+\\.mp4$", disposition.FileName!.Trim('"'));
        Assert.Equal(Size, (await download.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Open_segment_is_served_at_its_current_size_without_caching()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddMinutes(-1), RecordingsApiHost.Pattern(1000), complete: false);
        var path = (await host.Host.Service<LightNvr.Data.RecordingStore>().GetAsync(id))!.FilePath;
        await File.AppendAllTextAsync(path, new string('x', 500)); // the recorder keeps writing
        using var client = host.As("viewer");
        using var response = await client.GetAsync($"/api/recordings/play/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1500, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task Safe_file_name_strips_header_breaking_characters()
    {
        Assert.Equal("a_b_.mp4", RecordingFileEndpoints.SafeFileName("a\"b\r.mp4"));
        Assert.Equal("recording.mp4", RecordingFileEndpoints.SafeFileName(".."));
        await Task.CompletedTask;
    }
}
