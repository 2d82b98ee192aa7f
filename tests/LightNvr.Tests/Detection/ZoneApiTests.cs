using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Detection;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Detection;

/// <summary>
/// <c>/api/streams/{name}/zones</c> over real HTTP on a real SQLite file: upstream's JSON round-trips, bad zones are a
/// 400 that names the zone and the problem (upstream skipped them silently), an unknown stream is 404, viewers read.
/// </summary>
public sealed class ZoneApiTests
{
    private const string Driveway = """
        {"id":"z1","name":"Driveway","enabled":true,"color":"#ff0000","polygon":[{"x":0.1,"y":0.2},{"x":0.5,"y":0.2},{"x":0.5,"y":0.9}],"filter_classes":"person,car","min_confidence":0.5}
        """;

    private static async Task<(TestServerHost Host, HttpClient Admin)> StartAsync()
    {
        var host = await TestServerHost.StartAsync(full: true);
        var admin = await host.SessionClientAsync();
        using var created = await admin.PostAsync("/api/streams", TestServerHost.Json("""{"name":"cam1","url":"rtsp://cam/1"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (host, admin);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string body, string stream = "cam1")
    {
        using var response = await client.PostAsync($"/api/streams/{stream}/zones", TestServerHost.Json(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Zones_round_trip_in_upstream_shape()
    {
        var (host, admin) = await StartAsync();
        await using var _ = host;
        using var __ = admin;

        var (status, body) = await PostAsync(admin, $$"""{"zones":[{{Driveway}},{"id":"z2","name":"Gate","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1},{"x":0,"y":1}]}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"success":true,"message":"Zones saved successfully","count":2}""", body);

        var json = await admin.GetStringAsync("/api/streams/cam1/zones");
        Assert.Equal("""{"zones":[{"id":"z1","stream_name":"cam1","name":"Driveway","enabled":true,"color":"#ff0000","polygon":[{"x":0.1,"y":0.2},{"x":0.5,"y":0.2},{"x":0.5,"y":0.9}],"filter_classes":"person,car","min_confidence":0.5},""" +
            """{"id":"z2","stream_name":"cam1","name":"Gate","enabled":false,"color":"#3b82f6","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1},{"x":0,"y":1}],"filter_classes":"","min_confidence":0}]}""",
            json);

        // POST replaces every zone.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""")).Status);
        Assert.Single(await host.Service<ZoneStore>().ListAsync("cam1"));

        using var deleted = await admin.DeleteAsync("/api/streams/cam1/zones");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("""{"success":true,"message":"Zones deleted successfully"}""", await deleted.Content.ReadAsStringAsync());
        Assert.Equal("""{"zones":[]}""", await admin.GetStringAsync("/api/streams/cam1/zones"));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"zones":[{"id":"z1","name":"a","polygon":[{"x":0.1,"y":0.1},{"x":0.2,"y":0.2}]}]}""", "Zone 'z1': polygon needs at least 3 points (got 2)" },
        { """{"zones":[{"id":"z1","name":"a","polygon":[{"x":0.1,"y":0.1},{"x":1.5,"y":0.2},{"x":0.2,"y":0.9}]}]}""", "Zone 'z1': point 2 (x=1.5, y=0.2) is outside 0–1" },
        { """{"zones":[{"id":"z1","name":"a","polygon":[{"x":0.1,"y":0.1},{"x":-0.1,"y":0.2},{"x":0.2,"y":0.9}]}]}""", "Zone 'z1': point 2 (x=-0.1, y=0.2) is outside 0–1" },
        { """{"zones":[{"id":"bow","name":"a","polygon":[{"x":0,"y":0},{"x":1,"y":1},{"x":1,"y":0},{"x":0,"y":1}]}]}""", "Zone 'bow': polygon is self-intersecting (edge 1 crosses edge 3)" },
        { """{"zones":[{"id":"line","name":"a","polygon":[{"x":0,"y":0},{"x":0.5,"y":0.5},{"x":1,"y":1}]}]}""", "Zone 'line': polygon has no area" },
        { """{"zones":[{"id":"z1","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}]}""", "Zone 'z1': 'name' (a string) is required" },
        { """{"zones":[{"name":"a","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}]}""", "Zone 1: 'id' (a string) is required" },
        { """{"zones":[{"id":"z1","name":"a","polygon":[{"x":0,"y":0},{"x":"1","y":0},{"x":1,"y":1}]}]}""", "Zone 'z1': point 2 must be an object with numbers x and y" },
        { """{"zones":[{"id":"z1","name":"a","color":"#12345678","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}]}""", "Zone 'z1': color must be at most 7 characters" },
        { """{"zones":[{"id":"z1","name":"a","min_confidence":2,"polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}]}""", "Zone 'z1': min_confidence must be between 0 and 1" },
        { """{"zones":[{"id":"z1","name":"a","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]},{"id":"z1","name":"b","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}]}""", "Zone 'z1': the id is used twice" },
        { """{"zones":{}}""", "Missing or invalid 'zones' array" },
        { """{}""", "Missing or invalid 'zones' array" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_zones_are_400_with_the_zone_and_problem_and_nothing_is_saved(string body, string message)
    {
        var (host, admin) = await StartAsync();
        await using var _ = host;
        using var __ = admin;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""")).Status);

        var (status, answer) = await PostAsync(admin, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, JsonDocument.Parse(answer).RootElement.GetProperty("error").GetString());
        Assert.Equal("z1", Assert.Single(await host.Service<ZoneStore>().ListAsync("cam1")).Id); // the old zones stay
    }

    [Fact]
    public async Task Ten_thousand_points_and_seventeen_zones_are_400()
    {
        var (host, admin) = await StartAsync();
        await using var _ = host;
        using var __ = admin;
        var points = string.Join(",", Enumerable.Range(0, 10_000).Select(i =>
            FormattableString.Invariant($$"""{"x":{{Math.Round(0.5 + (0.4 * Math.Cos(i * 2 * Math.PI / 10_000)), 3)}},"y":{{Math.Round(0.5 + (0.4 * Math.Sin(i * 2 * Math.PI / 10_000)), 3)}}}""")));
        var (status, body) = await PostAsync(admin, $$"""{"zones":[{"id":"big","name":"a","polygon":[{{points}}]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Zone 'big': polygon has 10000 points (at most 32)", body);

        var zone = """{"id":"z{0}","name":"a","polygon":[{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1}]}""";
        var many = string.Join(",", Enumerable.Range(0, ZoneRules.MaxZones + 1).Select(i => zone.Replace("{0}", i.ToString())));
        (status, body) = await PostAsync(admin, $$"""{"zones":[{{many}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Too many zones (17; at most 16)", body);

        var sixteen = string.Join(",", Enumerable.Range(0, ZoneRules.MaxZones).Select(i => zone.Replace("{0}", i.ToString())));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $$"""{"zones":[{{sixteen}}]}""")).Status);
    }

    [Fact]
    public async Task Unknown_stream_is_404_and_an_id_of_another_stream_is_409()
    {
        var (host, admin) = await StartAsync();
        await using var _ = host;
        using var __ = admin;
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""", "nope")).Status);
        using (var get = await admin.GetAsync("/api/streams/nope/zones"))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            Assert.Contains("Stream not found", await get.Content.ReadAsStringAsync());
        }
        using (var delete = await admin.DeleteAsync("/api/streams/nope/zones"))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        using var created = await admin.PostAsync("/api/streams", TestServerHost.Json("""{"name":"cam2","url":"rtsp://cam/2"}"""));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""")).Status);
        var (status, body) = await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""", "cam2");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("Zone 'z1': the id is already used by another stream", body);
        Assert.Single(await host.Service<ZoneStore>().ListAsync("cam1")); // not moved
    }

    [Fact]
    public async Task Viewers_read_zones_but_cannot_change_them()
    {
        var (host, admin) = await StartAsync();
        await using var _ = host;
        using var __ = admin;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""")).Status);
        await host.CreateUserAsync("viewer", "viewer-password-1", Role.Viewer);
        using var viewer = await host.SessionClientAsync("viewer", "viewer-password-1");
        Assert.Contains("Driveway", await viewer.GetStringAsync("/api/streams/cam1/zones"));
        var (status, body) = await PostAsync(viewer, """{"zones":[]}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Viewer role cannot modify streams", body);
    }

    [Fact]
    public async Task Saved_zones_reach_the_store_event_for_running_detectors()
    {
        var (host, admin) = await StartAsync();
        await using var _ = host;
        using var __ = admin;
        var changed = new List<string>();
        host.Service<ZoneStore>().ZonesChanged += changed.Add;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $$"""{"zones":[{{Driveway}}]}""")).Status);
        using var deleted = await admin.DeleteAsync("/api/streams/cam1/zones");
        Assert.Equal(["cam1", "cam1"], changed);
        Assert.Equal(DetectionZone.DefaultColor, "#3b82f6");
    }
}
