using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Cameras;

namespace LightNvr.Api.Streams;

/// <summary>
/// POST /api/streams/test (lightnvr-api.md §2.3): probes a camera URL before it is saved. Upstream left it open to
/// anyone; here it needs the operator role, since it makes the server connect where the caller says.
/// Body: <c>url</c> and <c>protocol</c> (0 TCP, 1 UDP) required; <c>onvif_username</c>/<c>onvif_password</c> optional,
/// put into the URL when it has no credentials of its own. Always 200 once the body is valid:
/// <c>{"success":true,"info":{...}}</c> or <c>{"success":false,"message":"..."}</c>.
/// </summary>
public static class StreamTestEndpoints
{
    /// <summary>Longest ONVIF user name or password read: the limit the endpoint always had (as upstream's stream name, 255).</summary>
    private const int MaxCredentialLength = 255;

    public static async Task<IResult> TestAsync(HttpContext context, StreamProbe probe)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var fields = new RequestFields(body);
        if (!fields.Has("url") || !fields.Has("protocol"))
        {
            return ApiErrors.BadRequest("Missing required fields (url, protocol)");
        }
        var url = fields.String("url", StreamRequest.MaxUrlLength)?.Trim();
        var protocol = fields.Int("protocol", 0, 1);
        var user = fields.String("onvif_username", MaxCredentialLength);
        var password = fields.String("onvif_password", MaxCredentialLength);
        if (fields.Error is { } error)
        {
            return ApiErrors.BadRequest(error);
        }
        if (url is null || !StreamRequest.IsUrl(url, ["rtsp", "rtsps"], requireValue: true))
        {
            return ApiErrors.BadRequest("Field 'url' must be an rtsp:// or rtsps:// URL with a host");
        }
        var (info, message) = await probe.ProbeAsync(WithCredentials(url, user, password), protocol ?? 0, context.RequestAborted)
            .ConfigureAwait(false);
        return JsonReply.Ok(info is null
            ? new JsonObject { ["success"] = false, ["message"] = message }
            : new JsonObject { ["success"] = true, ["info"] = InfoJson(info) });
    }

    private static JsonObject InfoJson(VideoInfo info) => new()
    {
        ["width"] = info.Width, ["height"] = info.Height, ["fps"] = info.Fps, ["codec"] = info.Codec,
    };

    private static string WithCredentials(string url, string? user, string? password)
    {
        var uri = new Uri(url);
        if (string.IsNullOrEmpty(user) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return url;
        }

        return new UriBuilder(uri) { UserName = Uri.EscapeDataString(user), Password = Uri.EscapeDataString(password ?? "") }
            .Uri.AbsoluteUri;
    }
}
