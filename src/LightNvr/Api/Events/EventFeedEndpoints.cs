using LightNvr.Api.Http;
using System.Text;
using LightNvr.Auth;
using LightNvr.Events;

namespace LightNvr.Api.Events;

/// <summary>
/// <c>GET /api/events/feed[?stream=]</c>: server-sent events (<c>text/event-stream</c>), one message per change,
/// <c>event: start|update|end</c> with the event object as <c>data</c>, and a comment every
/// <see cref="HeartbeatInterval"/> so proxies keep the connection. The caller's streams only (tag-limited viewers too).
/// A client that falls <see cref="EventFeed.MaxQueuedPerClient"/> changes behind is dropped: its response ends.
/// </summary>
public static class EventFeedEndpoints
{
    /// <summary>Heartbeat comment period: under the usual 30–60 s idle timeouts of proxies.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventFeedEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/feed", FeedAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(new StreamScope(StreamScopeKind.Query, "stream", "without stream: filtered to the caller's streams"));
        return app;
    }

    private static async Task FeedAsync(HttpContext context, EventFeed feed, StreamAccess access, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var allowed = await access.AllowedAsync(Caller.From(context.User), ct).ConfigureAwait(false);
        var stream = context.Request.Query["stream"].ToString() is { Length: > 0 } s ? s : null;
        using var client = feed.Connect(allowed, stream);
        var response = context.Response;
        if (client is null)
        {
            await ApiErrors.Status(StatusCodes.Status503ServiceUnavailable, "Too many event feed clients").ExecuteAsync(context)
                .ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await WriteAsync(response, ": connected\n\n", ct).ConfigureAwait(false);
        var reader = client.Queue.Reader;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var beat = new CancellationTokenSource(HeartbeatInterval, time);
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct, beat.Token);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(heartbeat.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await WriteAsync(response, ": heartbeat\n\n", ct).ConfigureAwait(false);
                    continue;
                }
                if (!more)
                {
                    return; // dropped (too slow) or shutting down
                }
                var text = new StringBuilder();
                while (reader.TryRead(out var change))
                {
                    text.Append("event: ").Append(change.Kind.ToString().ToLowerInvariant()).Append('\n')
                        .Append("data: ").Append(EventJson.ToJson(change.Event).ToJsonString()).Append("\n\n");
                }
                await WriteAsync(response, text.ToString(), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        catch (global::System.Threading.Channels.ChannelClosedException)
        {
            // dropped as too slow
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
