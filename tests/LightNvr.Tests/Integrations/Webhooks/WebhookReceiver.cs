using System.Collections.Concurrent;
using LightNvr.Integrations.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>
/// A real HTTP receiver for the webhook tests: Kestrel on 127.0.0.1 (a free port) that checks each request's signature
/// the way docs/webhooks.md tells receivers to (<see cref="WebhookSignature.Verify"/> against its own clock), records
/// it, and answers with what <see cref="Answer"/> says for that request number (default 200). A real peer: the sender's
/// requests cross a real socket and HTTP stack.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Body, string? Event, string? Delivery, string? Timestamp, string? Signature,
        bool Verified, string? ContentType, string? UserAgent);

    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly Func<DateTimeOffset> _now;
    private int _count;

    private WebhookReceiver(WebApplication app, string secret, Func<DateTimeOffset> now)
    {
        _app = app;
        _secret = secret;
        _now = now;
    }

    /// <summary>Request number (1-based) → the reply: a status, or a task that never completes (a hung receiver).</summary>
    public Func<int, HttpContext, Task> Answer { get; set; } = (_, c) =>
    {
        c.Response.StatusCode = 200;
        return Task.CompletedTask;
    };

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Waits until <paramref name="count"/> requests have arrived (real time, bounded).</summary>
    public async Task WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Requests.Count} of {count} webhook requests arrived");
            }
            await Task.Delay(10);
        }
    }

    public static async Task<WebhookReceiver> StartAsync(string secret, Func<DateTimeOffset> now)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secret, now);
        app.Map("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var h = context.Request.Headers;
        var timestamp = h[WebhookSignature.TimestampHeader].ToString();
        var signature = h[WebhookSignature.SignatureHeader].ToString();
        Requests.Enqueue(new Received(context.Request.Path + context.Request.QueryString, System.Text.Encoding.UTF8.GetString(body),
            h[WebhookSignature.EventHeader], h[WebhookSignature.DeliveryHeader], timestamp, signature,
            WebhookSignature.Verify(_secret, timestamp, signature, body, _now()), context.Request.ContentType, h.UserAgent));
        await Answer(Interlocked.Increment(ref _count), context);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token);
        await _app.DisposeAsync();
    }
}
