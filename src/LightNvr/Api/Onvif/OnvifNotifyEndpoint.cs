using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Onvif;

namespace LightNvr.Api.Onvif;

/// <summary>
/// <c>POST /api/onvif/notify/{token}</c>: a camera's push notifications (WS-BaseNotification Notify, SOAP). Anonymous:
/// a camera cannot log in, so the 128-bit token of its subscription (<see cref="OnvifPushInbox"/>) is the credential;
/// an unknown token is 404, a body over <see cref="OnvifPushInbox.MaxNotifyBytes"/> 413, anything not a Notify
/// envelope 400. Not an upstream route (upstream pulls only).
/// </summary>
public static class OnvifNotifyEndpoint
{
    public static IEndpointRouteBuilder MapOnvifNotifyEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/onvif/notify/{token}", NotifyAsync).AllowAnonymous().WithMetadata(StreamScope.None);
        return app;
    }

    private static async Task<IResult> NotifyAsync(string token, HttpContext context, OnvifPushInbox inbox)
    {
        if (token.Length != OnvifPushInbox.TokenBytes * 2 || !inbox.Knows(token))
        {
            return ApiErrors.NotFound("Unknown subscription");
        }
        var (bytes, error) = await RequestBody.ReadBytesAsync(context.Request, OnvifPushInbox.MaxNotifyBytes).ConfigureAwait(false);
        if (bytes is null)
        {
            return error!;
        }
        IReadOnlyList<OnvifNotification> notifications;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            notifications = EventReplies.Notify(SoapReply.Body(stream));
        }
        catch (OnvifException e)
        {
            return ApiErrors.BadRequest($"Not a notification: {e.Message}");
        }
        return inbox.Deliver(token, notifications) ? Results.Ok() : ApiErrors.NotFound("Unknown subscription");
    }
}
