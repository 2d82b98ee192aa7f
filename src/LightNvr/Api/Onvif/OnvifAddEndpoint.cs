using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Data;
using LightNvr.Onvif;

namespace LightNvr.Api.Onvif;

/// <summary><c>POST /api/onvif/device/add</c>: the camera's chosen profile becomes a stream (<see cref="OnvifCameras.AddAsync"/>).</summary>
public static class OnvifAddEndpoint
{
    private sealed record AddRequest(Uri DeviceUrl, string ProfileToken, string StreamName, OnvifCredentials? Credentials);

    public static async Task<IResult> AddAsync(HttpContext context, OnvifCameras cameras)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var (request, error) = Parse(body);
        if (request is null)
        {
            return ApiErrors.BadRequest(error!);
        }
        try
        {
            var (result, _) = await cameras.AddAsync(request.DeviceUrl, request.ProfileToken, request.StreamName, request.Credentials,
                context.RequestAborted).ConfigureAwait(false);
            return Reply(result, request.StreamName);
        }
        catch (OnvifException e)
        {
            return OnvifJson.CameraError(e, "Failed to add ONVIF device");
        }
    }

    private static (AddRequest? Request, string? Error) Parse(JsonObject body)
    {
        var fields = new RequestFields(body);
        const int Max = OnvifEndpoints.MaxFieldLength;
        var (rawUrl, token, name) = (fields.String("device_url", Max), fields.String("profile_token", Max), fields.String("stream_name", Max)?.Trim());
        var (user, password) = (fields.String("username", Max), fields.String("password", Max));
        if (fields.Error is not null || string.IsNullOrEmpty(rawUrl) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(name))
        {
            return (null, "Missing or invalid parameters");
        }
        if (StreamRequest.NameProblem(name) is { } nameProblem)
        {
            return (null, nameProblem);
        }
        return OnvifJson.DeviceUrl(rawUrl) is { } url
            ? (new AddRequest(url, token, name, OnvifCredentials.From(user, password)), null)
            : (null, OnvifJson.InvalidDeviceUrl);
    }

    private static IResult Reply(StreamChangeResult? result, string name) => result?.Outcome switch
    {
        null => ApiErrors.NotFound("Profile not found"),
        StreamChangeOutcome.LimitReached => ApiErrors.Conflict($"Max streams limit reached ({result.Count}/{result.Limit})"),
        StreamChangeOutcome.AlreadyExists => ApiErrors.Conflict("Stream already exists"),
        _ => JsonReply.Ok(new JsonObject
        {
            ["success"] = true,
            ["message"] = "ONVIF device added as stream successfully",
            ["stream_name"] = name,
        }),
    };
}
