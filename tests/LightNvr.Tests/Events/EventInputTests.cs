using System.Text.Json.Nodes;
using LightNvr.Api.Detection;
using LightNvr.Events;

namespace LightNvr.Tests.Events;

/// <summary>Validation of <c>POST /api/motion/trigger</c> bodies (upstream's messages) and of snapshot paths.</summary>
public sealed class EventInputTests
{
    [Theory]
    [InlineData("""{}""", "Field 'stream' is required")]
    [InlineData("""{"stream":5,"action":"start"}""", "Field 'stream' is required")]
    [InlineData("""{"stream":"cam1"}""", "Field 'action' is required (start|stop|pulse)")]
    [InlineData("""{"stream":"cam1","action":"go"}""", "Field 'action' must be one of: start, stop, pulse")]
    [InlineData("""{"stream":"cam1","action":"pulse","duration_ms":0}""", "Field 'duration_ms' must be a positive integer")]
    [InlineData("""{"stream":"cam1","action":"pulse","duration_ms":1.5}""", "Field 'duration_ms' must be a positive integer")]
    [InlineData("""{"stream":"cam1","action":"pulse","duration_ms":"5"}""", "Field 'duration_ms' must be a positive integer")]
    [InlineData("""{"stream":"cam1","action":"pulse","duration_ms":600001}""", "Field 'duration_ms' must be between 1 and 600000")]
    [InlineData("""{"stream":"cam1","action":"start","confidence":2}""", "Field 'confidence' must be a number between 0 and 1")]
    [InlineData("""{"stream":"cam1","action":"start","label":""}""", "Field 'label' must be a non-empty string")]
    [InlineData("""{"stream":"cam1","action":"start","objects":"person"}""", "Field 'objects' must be an array of strings or {\"label\",\"confidence\"} objects")]
    [InlineData("""{"stream":"cam1","action":"start","objects":[{"label":"car","confidence":7}]}""", "Field 'objects[].confidence' must be a number between 0 and 1")]
    [InlineData("""{"stream":"cam1","action":"start","tags":[1]}""", "Field 'tags' must be an array of at most 16 strings")]
    public void Bad_trigger_bodies_get_a_clear_message(string json, string message)
    {
        var (request, error) = MotionTriggerRequest.Parse(JsonNode.Parse(json)!.AsObject());
        Assert.Null(request);
        Assert.Equal(message, error);
    }

    [Fact]
    public void A_pulse_with_objects_gives_one_label_each_and_defaults_otherwise()
    {
        var (request, _) = MotionTriggerRequest.Parse(JsonNode.Parse(
            """{"stream":"cam1","action":"pulse","duration_ms":1500,"objects":["person",{"label":"car","confidence":0.7}],"confidence":0.9}""")!.AsObject());
        Assert.Equal(1500, request!.DurationMs);
        Assert.Equal([("person", 0.9f), ("car", 0.7f)], request.Labels);
        var (plain, _) = MotionTriggerRequest.Parse(JsonNode.Parse("""{"stream":"cam1","action":"pulse"}""")!.AsObject());
        Assert.Equal(MotionTriggerEndpoints.DefaultDurationMs, plain!.DurationMs);
        Assert.Equal([("motion", 1.0f)], plain.Labels);
    }

    [Theory]
    [InlineData("cam1", "event_1_20260101_120000.jpg", true)]
    [InlineData("front.door", "a-b_c.1.jpg", true)]
    [InlineData("..", "x.jpg", false)]
    [InlineData("cam1", "..jpg", false)]
    [InlineData("cam1", "../x.jpg", false)]
    [InlineData("cam1", "x.png", false)]
    [InlineData("cam/1", "x.jpg", false)]
    [InlineData("cam1", "x%2F.jpg", false)]
    [InlineData(".hidden", "x.jpg", false)]
    [InlineData("", "x.jpg", false)]
    public void Snapshot_paths_never_leave_the_snapshots_folder(string stream, string file, bool ok)
    {
        var storage = Path.Combine(Path.GetTempPath(), "lightnvr-snapshots-test");
        var path = SnapshotFiles.Resolve(storage, stream, file);
        Assert.Equal(ok, path is not null);
        if (path is not null)
        {
            Assert.StartsWith(SnapshotFiles.Root(storage) + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
        }
    }
}
