using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// The project's own stand-in for a detection service (no DeepStack, CodeProject.AI or light-object-detect server is
/// installable here): Kestrel on 127.0.0.1 answering <c>POST /v1/vision/detection</c> (DeepStack / CodeProject.AI) and
/// <c>POST /api/v1/detect</c> (light-object-detect) with whatever reply the test sets, or hanging, or answering garbage
/// or 500. It records every request as ASP.NET Core's own multipart reader parsed it (an independent parser), so a
/// test can compare what LightNVR sent with what curl sends.
/// </summary>
public sealed class DetectionServiceStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DetectionServiceStandIn(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public enum Mode
    {
        Answer,
        Hang,
        Garbage,
        Error500,
    }

    public Uri BaseAddress { get; }

    public Uri DeepStackUrl => new(BaseAddress, "/v1/vision/detection");

    public Uri LightObjectDetectUrl => new(BaseAddress, "/api/v1/detect");

    /// <summary>What the next requests get; <see cref="FailNext"/> requests answer 500 first.</summary>
    public Mode Behaviour { get; set; } = Mode.Answer;

    public int FailNext { get; set; }

    /// <summary>The JSON body of <see cref="Mode.Answer"/>.</summary>
    public string Reply { get; set; } = """{"success":true,"predictions":[]}""";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<DetectionServiceStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        DetectionServiceStandIn? self = null;
        app.MapPost("/v1/vision/detection", (HttpContext ctx) => self!.HandleAsync(ctx));
        app.MapPost("/api/v1/detect", (HttpContext ctx) => self!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new DetectionServiceStandIn(app, new Uri(address));
        return self;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var files = new List<RecordedFile>();
        foreach (var f in form.Files)
        {
            using var ms = new MemoryStream();
            await f.CopyToAsync(ms, ctx.RequestAborted);
            files.Add(new RecordedFile(f.Name, f.FileName, f.ContentType, ms.ToArray()));
        }
        Requests.Enqueue(new RecordedRequest(ctx.Request.Path, ctx.Request.QueryString.Value ?? "",
            ctx.Request.Headers.Accept.ToString(), form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()), files));

        if (FailNext > 0)
        {
            FailNext--;
            ctx.Response.StatusCode = 500;
            await ctx.Response.WriteAsync("stand-in: failing on purpose", ctx.RequestAborted);
            return;
        }
        switch (Behaviour)
        {
            case Mode.Hang:
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
                break;
            case Mode.Garbage:
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html>\u0001 upstream proxy error</html>", ctx.RequestAborted);
                break;
            case Mode.Error500:
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsync("""{"success":false,"error":"model crashed"}""", ctx.RequestAborted);
                break;
            default:
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(Reply, ctx.RequestAborted);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    public sealed record RecordedFile(string Field, string FileName, string ContentType, byte[] Bytes);

    public sealed record RecordedRequest(string Path, string Query, string Accept, Dictionary<string, string> Fields,
        List<RecordedFile> Files);
}
