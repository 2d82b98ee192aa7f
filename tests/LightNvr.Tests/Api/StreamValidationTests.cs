using System.Net;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api;

/// <summary>Every validation error of POST/PUT /api/streams and the retention endpoint, with its exact body.</summary>
public sealed class StreamValidationTests(StreamValidationTests.Fixture fixture) : IClassFixture<StreamValidationTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public TestServerHost Host { get; private set; } = null!;
        public HttpClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await TestServerHost.StartAsync();
            Admin = await Host.SessionClientAsync();
            using var created = await Admin.PostAsync("/api/streams", TestServerHost.Json("""{"name":"cam1","url":"rtsp://h/1"}"""));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        public async Task DisposeAsync()
        {
            Admin.Dispose();
            await Host.DisposeAsync();
        }
    }

    private const string Url = "\"url\":\"rtsp://h/1\"";

    public static TheoryData<string, int, string> CreateCases => new()
    {
        { "{nope", 400, "Invalid JSON in request body" },
        { "[1,2]", 400, "Invalid JSON in request body" },
        { "{}", 400, "Missing required fields (name, url)" },
        { """{"name":"x"}""", 400, "Missing required fields (name, url)" },
        { """{"name":5,"url":"rtsp://h/1"}""", 400, "Field 'name' must be a string" },
        { """{"name":"x","url":true}""", 400, "Field 'url' must be a string" },
        { $$"""{"name":"  ",{{Url}}}""", 400, "Stream name cannot be empty" },
        { $$"""{"name":"front door",{{Url}}}""", 400, "Stream name can only contain letters, digits, '.', '-', and '_'" },
        { $$"""{"name":"a/b",{{Url}}}""", 400, "Stream name can only contain letters, digits, '.', '-', and '_'" },
        { $$"""{"name":".hidden",{{Url}}}""", 400, "Stream name cannot start with '.'" },
        { $$"""{"name":"{{new string('a', 65)}}",{{Url}}}""", 400, "Stream name must be at most 64 characters" },
        { """{"name":"x","url":"ftp://h/1"}""", 400, "url must be an rtsp, rtsps, http or https URL with a host, or an ffmpeg: source (at most 1024 characters)" },
        { """{"name":"x","url":"rtsp://"}""", 400, "url must be an rtsp, rtsps, http or https URL with a host, or an ffmpeg: source (at most 1024 characters)" },
        { """{"name":"x","url":"ffmpeg:rtsp://h/1#video=vp9"}""", 400, "url: unknown ffmpeg: option '#video=vp9' (video=copy|h264, audio=none|copy|aac|opus, input=file|snapshot, rate=1-10)" },
        { """{"name":"x","url":"ffmpeg:"}""", 400, "url: ffmpeg: needs an input, e.g. ffmpeg:rtsp://host/stream#video=h264 or ffmpeg:/path/file.mp4" },
        { """{"name":"x","url":"not a url"}""", 400, "url must be an rtsp, rtsps, http or https URL with a host, or an ffmpeg: source (at most 1024 characters)" },
        { $$"""{"name":"x","url":"rtsp://h/{{new string('p', 1100)}}"}""", 400, "url must be an rtsp, rtsps, http or https URL with a host, or an ffmpeg: source (at most 1024 characters)" },
        { $$"""{"name":"x",{{Url}},"fps":"abc"}""", 400, "Field 'fps' must be an integer" },
        { $$"""{"name":"x",{{Url}},"fps":1.5}""", 400, "Field 'fps' must be an integer" },
        { $$"""{"name":"x",{{Url}},"fps":500}""", 400, "Field 'fps' must be between 0 and 120" },
        { $$"""{"name":"x",{{Url}},"width":-1}""", 400, "Field 'width' must be between 0 and 16384" },
        { $$"""{"name":"x",{{Url}},"priority":0}""", 400, "Field 'priority' must be between 1 and 10" },
        { $$"""{"name":"x",{{Url}},"priority":11}""", 400, "Field 'priority' must be between 1 and 10" },
        { $$"""{"name":"x",{{Url}},"segment_duration":5}""", 400, "Field 'segment_duration' must be between 10 and 3600" },
        { $$"""{"name":"x",{{Url}},"segment_duration":3601}""", 400, "Field 'segment_duration' must be between 10 and 3600" },
        { $$"""{"name":"x",{{Url}},"protocol":2}""", 400, "Field 'protocol' must be between 0 and 1" },
        { $$"""{"name":"x",{{Url}},"protocol":"tcp"}""", 400, "Field 'protocol' must be an integer" },
        { $$"""{"name":"x",{{Url}},"detection_threshold":101}""", 400, "Field 'detection_threshold' must be between 0 and 100" },
        { $$"""{"name":"x",{{Url}},"detection_threshold":"high"}""", 400, "Field 'detection_threshold' must be a number" },
        { $$"""{"name":"x",{{Url}},"detection_interval":0}""", 400, "Field 'detection_interval' must be between 1 and 3600" },
        { $$"""{"name":"x",{{Url}},"pre_detection_buffer":301}""", 400, "Field 'pre_detection_buffer' must be between 0 and 300" },
        { $$"""{"name":"x",{{Url}},"post_detection_buffer":-1}""", 400, "Field 'post_detection_buffer' must be between 0 and 3600" },
        { $$"""{"name":"x",{{Url}},"retention_days":366}""", 400, "retention_days must be between -1 and 365" },
        { $$"""{"name":"x",{{Url}},"retention_days":-2}""", 400, "retention_days must be between -1 and 365" },
        { $$"""{"name":"x",{{Url}},"detection_retention_days":400}""", 400, "detection_retention_days must be between -1 and 365" },
        { $$"""{"name":"x",{{Url}},"retention_days":"7"}""", 400, "Field 'retention_days' must be an integer" },
        { $$"""{"name":"x",{{Url}},"max_storage_mb":-5}""", 400, "Field 'max_storage_mb' must be between 0 and 1073741824" },
        { $$"""{"name":"x",{{Url}},"storage_priority":0}""", 400, "Field 'storage_priority' must be between 1 and 10" },
        { $$"""{"name":"x",{{Url}},"tier_critical_multiplier":-1}""", 400, "Field 'tier_critical_multiplier' must be between 0 and 100" },
        { $$"""{"name":"x",{{Url}},"onvif_port":70000}""", 400, "Field 'onvif_port' must be between 0 and 65535" },
        { $$"""{"name":"x",{{Url}},"ptz_max_x":-1}""", 400, "Field 'ptz_max_x' must be between 0 and 100000" },
        { $$"""{"name":"x",{{Url}},"enabled":"yes"}""", 400, "Field 'enabled' must be a boolean" },
        { $$"""{"name":"x",{{Url}},"record":2}""", 400, "Field 'record' must be a boolean" },
        { $$"""{"name":"x",{{Url}},"isOnvif":"true"}""", 400, "Field 'isOnvif' must be a boolean" },
        { $$"""{"name":"x",{{Url}},"codec":"mjpeg"}""", 400, "Field 'codec' must be one of: h264, h265" },
        { $$"""{"name":"x",{{Url}},"detection_object_filter":"maybe"}""", 400, "Field 'detection_object_filter' must be one of: none, include, exclude" },
        { $$"""{"name":"x",{{Url}},"tags":["a"]}""", 400, "Field 'tags' must be a string" },
        { $$$"""{"name":"x",{{{Url}}},"detection_model":{"a":1}}""", 400, "Field 'detection_model' must be a string" },
        { $$"""{"name":"x",{{Url}},"recording_schedule":[true,false]}""", 400, "Field 'recording_schedule' must be an array of 168 booleans" },
        { $$"""{"name":"x",{{Url}},"recording_schedule":"all"}""", 400, "Field 'recording_schedule' must be an array of 168 booleans" },
        { $$"""{"name":"x",{{Url}},"detection_recording_schedule":[{{string.Join(",", Enumerable.Repeat("\"x\"", 168))}}]}""", 400, "Field 'detection_recording_schedule' must be an array of 168 booleans" },
        { $$"""{"name":"x",{{Url}},"detection_url":"ftp://d/"}""", 400, "detection_url must use http, https, rtsp, or rtsps" },
        { $$"""{"name":"x",{{Url}},"detection_url":"http://d/{{new string('d', 1100)}}"}""", 413, "detection_url exceeds size limit" },
        { $$"""{"name":"x",{{Url}},"publish_url":"http://yt/"}""", 400, "publish_url must use rtmp or rtmps" },
        { $$"""{"name":"x",{{Url}},"publish_url":"rtmp://{{new string('y', 1100)}}"}""", 413, "publish_url exceeds size limit" },
        { $$"""{"name":"x",{{Url}},"sub_stream_url":"udp://s/"}""", 400, "sub_stream_url must use rtsp, rtsps, http, or https" },
        { $$"""{"name":"x",{{Url}},"admin_url":"rtsp://a/"}""", 400, "admin_url must use http or https" },
        { $$"""{"name":"x",{{Url}},"motion_trigger_source":"x"}""", 400, "motion_trigger_source must be the name of another stream" },
        { $$"""{"name":"x",{{Url}},"motion_trigger_source":"bad name"}""", 400, "motion_trigger_source must be the name of another stream" },
        { $$"""{"name":"x",{{Url}},"go2rtc_source_override":"{{new string('g', 9000)}}"}""", 413, "go2rtc_source_override exceeds size limit" },
        { $$"""{"name":"cam1",{{Url}}}""", 409, "Stream already exists" },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public async Task Create_refuses_invalid_bodies(string body, int status, string error)
    {
        using var response = await fixture.Admin.PostAsync("/api/streams", TestServerHost.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        AssertError(error, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, int, string> UpdateCases => new()
    {
        { "/api/streams/cam1", "{nope", 400, "Invalid JSON in request body" },
        { "/api/streams/cam1", """{"fps":"x"}""", 400, "Field 'fps' must be an integer" },
        { "/api/streams/cam1", """{"name":"other"}""", 400, "Stream name cannot be changed" },
        { "/api/streams/cam1", """{"url":"ftp://h"}""", 400, "url must be an rtsp, rtsps, http or https URL with a host, or an ffmpeg: source (at most 1024 characters)" },
        { "/api/streams/cam1", """{"set_privacy_mode":"on"}""", 400, "Field 'set_privacy_mode' must be a boolean" },
        { "/api/streams/nope", """{"fps":10}""", 404, "Stream not found" },
        { "/api/streams/cam1/retention", """{"retention_days":366}""", 400, "retention_days must be between -1 and 365" },
        { "/api/streams/cam1/retention", """{"max_storage_mb":"big"}""", 400, "Field 'max_storage_mb' must be an integer" },
        { "/api/streams/nope/retention", "{}", 404, "Stream not found" },
    };

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public async Task Update_refuses_invalid_bodies(string path, string body, int status, string error)
    {
        using var response = await fixture.Admin.PutAsync(path, TestServerHost.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        AssertError(error, await response.Content.ReadAsStringAsync());
    }

    private static void AssertError(string expected, string body)
    {
        var root = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal(expected, root.GetProperty("error").GetString());
        Assert.Single(root.EnumerateObject());
    }

    [Fact]
    public async Task Unknown_stream_is_404_everywhere()
    {
        foreach (var path in new[] { "/api/streams/nope", "/api/streams/nope/full", "/api/streams/nope/retention" })
        {
            using var response = await fixture.Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("""{"error":"Stream not found"}""", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Admin.DeleteAsync("/api/streams/nope")).StatusCode);
    }
}
