using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Detection.Objects;

namespace LightNvr.Api.Detection;

/// <summary>
/// <c>GET /api/detection/models</c> (lightnvr-api.md §6): the built-in detectors and the files in <c>[models] path</c>
/// with upstream's fields, plus ours: <c>input_shape</c>, <c>format</c>, <c>resize</c>, <c>classes</c> of each ONNX
/// model, <c>onnx_available</c>. Upstream answers without auth; here a viewer (it names server paths).
/// </summary>
public static class DetectionModelEndpoints
{
    public static IEndpointRouteBuilder MapDetectionModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/detection/models", List).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
        return app;
    }

    private static IResult List(ModelCatalog catalog)
    {
        var models = new JsonArray
        {
            Builtin("motion", "Built-in Motion Detection", "builtin", "Frame differencing on the decoded stream (docs/detection.md)"),
            Builtin("api-detection", "API Detection", "api", "External detection service ([api_detection] url)"),
            Builtin("onvif", "ONVIF Events", "onvif", "The camera's own ONVIF motion events"),
        };
        foreach (var m in catalog.List())
        {
            var o = new JsonObject
            {
                ["id"] = m.Path, ["name"] = m.Name, ["path"] = m.Path, ["type"] = m.Type, ["supported"] = m.Supported,
                ["size"] = m.Size,
            };
            if (m.UnsupportedReason is not null)
            {
                o["unsupported_reason"] = m.UnsupportedReason;
            }
            if (m.InputShape is not null)
            {
                o["input_shape"] = new JsonArray([.. m.InputShape.Select(d => (JsonNode)d)]);
                o["format"] = m.Format;
                o["resize"] = m.Resize;
                o["classes"] = m.Classes;
            }
            models.Add(o);
        }
        var body = new JsonObject
        {
            ["models"] = models,
            ["litert_available"] = false,
            ["sod_available"] = false,
            ["onnx_available"] = true,
            ["count"] = models.Count,
        };
        if (!catalog.FolderExists)
        {
            body["message"] = "Models directory does not exist";
        }
        return JsonReply.Ok(body);
    }

    private static JsonObject Builtin(string id, string name, string type, string description) => new()
    {
        ["id"] = id, ["name"] = name, ["path"] = id, ["type"] = type, ["supported"] = true, ["description"] = description,
    };
}
