using System.Collections.Concurrent;
using System.Net;
using System.Text;
using LightNvr.Events;
using LightNvr.Onvif;
using LightNvr.Testing.Onvif;
using LightNvr.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Api.Onvif;

/// <summary>
/// Base Notification (push) for cameras without PullPoint: <see cref="OnvifStandIn"/>, a STAND-IN camera (no ONVIF
/// emulator is packaged anywhere reachable) with PullPoint switched off, is subscribed with a callback on the whole
/// server's <c>POST /api/onvif/notify/{token}</c>; the stand-in POSTs its Notify there over real HTTP.
/// </summary>
public sealed class OnvifPushTests
{
    private sealed class ListSink : IObservationSink
    {
        public ConcurrentQueue<Observation> Seen { get; } = new();
        public void Observe(Observation observation) => Seen.Enqueue(observation);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_camera_without_pullpoint_pushes_motion_into_the_same_observations()
    {
        await using var camera = new OnvifStandIn { PullPointSupport = false };
        await using var host = await TestServerHost.StartAsync(full: true);
        var inbox = host.Service<OnvifPushInbox>();
        var sink = new ListSink();
        var subscription = new OnvifEventSubscription(new OnvifSoapClient(new HttpClient(), TimeProvider.System), TimeProvider.System, sink,
            NullLogger.Instance, "gate", camera.DeviceUrl, new OnvifCredentials("admin", "secret"), inbox);
        using var stop = new CancellationTokenSource();
        var run = subscription.RunAsync(stop.Token);

        await WaitAsync(() => camera.PushConsumer is not null && subscription.Pushing, "the push subscription");
        var consumer = camera.PushConsumer!;
        Assert.Equal(1, camera.Count("CreatePullPointSubscription")); // tried first, refused
        Assert.Matches("^/api/onvif/notify/[0-9a-f]{32}$", consumer.AbsolutePath);
        Assert.Equal(host.BaseAddress.Port, consumer.Port);
        Assert.Empty(sink.Seen);

        camera.EmitMotion(true);
        await WaitAsync(() => sink.Seen.Count >= 2, "observations while the pushed motion lasts");
        Assert.Equal(1, camera.Pushed);
        var first = sink.Seen.First();
        Assert.Equal(("gate", ObservationSource.Onvif, "motion"), (first.Stream, first.Source, first.Label));

        camera.EmitMotion(false);
        await WaitAsync(() => camera.Pushed == 2, "the pushed stop");
        await Task.Delay(1500); // a report in flight may still land
        var afterStop = sink.Seen.Count;
        await Task.Delay(2500);
        Assert.Equal(afterStop, sink.Seen.Count);
        Assert.Equal(0, camera.PushRefused);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, camera.ActiveSubscriptions); // Unsubscribe on stop
        Assert.Equal(0, inbox.Count);
        using var client = host.Client();
        using var late = await client.PostAsync(consumer.PathAndQuery, new StringContent("<x/>", Encoding.UTF8, "application/soap+xml"));
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode); // the token died with the subscription
    }

    [Fact]
    public async Task The_configured_push_callback_url_is_what_the_camera_is_given_and_pushes_to()
    {
        // A server behind NAT or a reverse proxy: [onvif] push_callback_url names the address cameras reach; its path
        // (the proxy's prefix) is kept. Here a plain HttpListener plays the proxy and records what the camera posts.
        var port = Random.Shared.Next(20000, 60000);
        using var proxy = new HttpListener();
        proxy.Prefixes.Add($"http://127.0.0.1:{port}/nvr/");
        proxy.Start();
        var config = new LightNvr.Config.LightNvrConfig { Onvif = new LightNvr.Config.OnvifOptions { PushCallbackUrl = $"http://127.0.0.1:{port}/nvr/" } };
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton(new LightNvr.Config.ConfigSnapshots(config)).BuildServiceProvider();
        var inbox = new OnvifPushInbox(services);
        await using var camera = new OnvifStandIn { PullPointSupport = false };
        var subscription = new OnvifEventSubscription(new OnvifSoapClient(new HttpClient(), TimeProvider.System), TimeProvider.System, new ListSink(),
            NullLogger.Instance, "gate", camera.DeviceUrl, new OnvifCredentials("admin", "secret"), inbox);
        using var stop = new CancellationTokenSource();
        var run = subscription.RunAsync(stop.Token);

        await WaitAsync(() => camera.PushConsumer is not null, "the push subscription");
        Assert.Matches($"^http://127\\.0\\.0\\.1:{port}/nvr/api/onvif/notify/[0-9a-f]{{32}}$", camera.PushConsumer!.AbsoluteUri);
        var received = proxy.GetContextAsync();
        camera.EmitMotion(true);
        var context = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(camera.PushConsumer!.AbsolutePath, context.Request.Url!.AbsolutePath);
        using (var reader = new StreamReader(context.Request.InputStream))
        {
            Assert.Contains("IsMotion", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
        context.Response.Close();
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("http://nvr.lan:8080", "http://nvr.lan:8080/api/onvif/notify/ab")]
    [InlineData("https://nvr.example.org/proxy/", "https://nvr.example.org/proxy/api/onvif/notify/ab")]
    [InlineData("ftp://nvr.lan/", null)]
    [InlineData("nvr.lan:8080", null)]
    [InlineData("http://user:pw@nvr.lan/", null)]
    [InlineData("http://nvr.lan/?x=1", null)]
    public void Push_callback_url_takes_absolute_http_urls_only(string configured, string? expected) =>
        Assert.Equal(expected, OnvifPushInbox.ConfiguredCallback(configured, "ab")?.AbsoluteUri);

    [Fact]
    public async Task The_notify_route_refuses_unknown_tokens_garbage_and_large_bodies()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        var inbox = host.Service<OnvifPushInbox>();
        var delivered = new ConcurrentQueue<IReadOnlyList<OnvifNotification>>();
        var token = inbox.Register(delivered.Enqueue);
        using var client = host.Client(); // no login: cameras cannot log in

        async Task<HttpStatusCode> Post(string path, string body)
        {
            using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/soap+xml"));
            return response.StatusCode;
        }
        const string Notify = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\" xmlns:tt=\"http://www.onvif.org/ver10/schema\">" +
            "<s:Body><wsnt:Notify><wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic><wsnt:Message><tt:Message UtcTime=\"2026-01-01T12:00:00Z\">" +
            "<tt:Source/><tt:Data><tt:SimpleItem Name=\"State\" Value=\"true\"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>";

        Assert.Equal(HttpStatusCode.NotFound, await Post("/api/onvif/notify/" + new string('0', 32), Notify));
        Assert.Equal(HttpStatusCode.NotFound, await Post("/api/onvif/notify/short", Notify));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("/api/onvif/notify/" + token, "<html>not soap"));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("/api/onvif/notify/" + token, "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await Post("/api/onvif/notify/" + token, new string(' ', OnvifPushInbox.MaxNotifyBytes + 1)));
        Assert.Empty(delivered);

        Assert.Equal(HttpStatusCode.OK, await Post("/api/onvif/notify/" + token, Notify));
        var message = Assert.Single(Assert.Single(delivered));
        Assert.Equal(("tns1:VideoSource/MotionAlarm", "true"), (message.Topic, message.Data["State"]));
        Assert.Equal(("motion", true), OnvifEventTopics.Classify(message));
        inbox.Unregister(token);
    }
}
