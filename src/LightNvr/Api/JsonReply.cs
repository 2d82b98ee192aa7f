using System.Text.Json.Nodes;

namespace LightNvr.Api;

/// <summary>Writes a JSON object or array built by an endpoint, compact, with the status given.</summary>
public static class JsonReply
{
    public static IResult Ok(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json", global::System.Text.Encoding.UTF8, statusCode);

    public static IResult Success(int statusCode = StatusCodes.Status200OK) =>
        Ok(new JsonObject { ["success"] = true }, statusCode);
}
