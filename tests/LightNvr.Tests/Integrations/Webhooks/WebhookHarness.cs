using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Hosting;
using LightNvr.Integrations.Webhooks;
using LightNvr.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Integrations.Webhooks;

/// <summary>
/// The webhook parts as the server wires them (store, dispatcher, client with its target rule, sender) over a real
/// SQLite file and a <see cref="TestClock"/>. <see cref="RestartAsync"/> stops the sender and builds every part again
/// over the same file: what a process restart keeps is only what the database holds. The event spine itself is not
/// run: tests call the dispatcher's <see cref="IEventConsumer.OnEvent"/> as the spine's loop does.
/// </summary>
public sealed class WebhookHarness : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private WebhookHarness(Func<LightNvrConfig, LightNvrConfig>? configure)
    {
        var config = configure?.Invoke(new LightNvrConfig()) ?? new LightNvrConfig();
        Config = config with { Database = config.Database with { Path = _folder.File("lightnvr.db") } };
    }

    public TestClock Time { get; } = new();
    public LightNvrConfig Config { get; }
    public WebhookStore Store { get; private set; } = null!;
    public WebhookDispatcher Dispatcher { get; private set; } = null!;
    public WebhookClient Client { get; private set; } = null!;
    public WebhookSender Sender { get; private set; } = null!;

    /// <summary>Every line the sender logged (across restarts).</summary>
    public Support.ListLogger Log { get; } = new();

    public static async Task<WebhookHarness> StartAsync(Func<LightNvrConfig, LightNvrConfig>? configure = null)
    {
        var harness = new WebhookHarness(configure);
        await new Database(harness.Config.Database.Path).MigrateAsync(harness.Time);
        await harness.BuildAndStartAsync();
        return harness;
    }

    public async Task RestartAsync()
    {
        await Sender.StopAsync(CancellationToken.None);
        Sender.Dispose();
        Client.Dispose();
        await BuildAndStartAsync();
    }

    private async Task BuildAndStartAsync()
    {
        var db = new Database(Config.Database.Path);
        Store = new WebhookStore(db, Time);
        var events = new EventService(new EventStore(db), new DetectionStore(db), new RecordingTagStore(db, Time), new StreamStore(db),
            ConfigSection<ApiDetectionOptions>.Fixed(Config.ApiDetection), new ShutdownCoordinator(Time, NullLogger<ShutdownCoordinator>.Instance), Time, NullLogger<EventService>.Instance);
        Dispatcher = new WebhookDispatcher(events);
        Client = new WebhookClient(new WebhookTargets(ConfigSection<WebOptions>.Fixed(Config.Web)), Time);
        Sender = new WebhookSender(Store, Dispatcher, Client, Time, new SenderLogger(Log));
        await Sender.StartAsync(CancellationToken.None);
    }

    public async Task<long> AddHookAsync(Uri url, string secret, params string[] kinds)
    {
        var id = await Store.InsertAsync(new WebhookRecord { Url = url.ToString(), Secret = secret, EventKinds = kinds.Length > 0 ? kinds : ["start", "end"] });
        await Sender.RefreshHooksAsync(CancellationToken.None);
        return id;
    }

    /// <summary>An event change as the spine publishes it.</summary>
    public static EventChange Change(EventChangeKind kind, long id = 7, string stream = "porch") => new(kind, new EventRecord
    {
        Id = id, StreamName = stream, Source = "motion", Label = "person", Confidence = 0.91, X = 0.1, Y = 0.2, Width = 0.3, Height = 0.4,
        StartTime = 1767268800, LastSeen = 1767268805, EndTime = kind == EventChangeKind.End ? 1767268805 : null,
    }, ObservationSource.Motion);

    /// <summary>Polls (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Advances the clock once the sender has armed its timer for the next attempt (so the advance cannot fall between
    /// its reading the clock and arming the timer). The sender is the only user of this clock's timers here.
    /// </summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan by)
    {
        await EventuallyAsync(() => Task.FromResult(Time.ActiveTimers > 0), "the sender armed its retry timer");
        Time.Advance(by);
    }

    /// <summary>The hook's only delivery once its attempts reached <paramref name="attempts"/>.</summary>
    public async Task<WebhookDelivery> AttemptedAsync(long hook, int attempts)
    {
        WebhookDelivery? found = null;
        await EventuallyAsync(async () =>
        {
            found = (await Store.DeliveriesAsync(hook, 10)).FirstOrDefault(d => d.Attempts >= attempts);
            return found is not null;
        }, $"delivery of hook {hook} never reached {attempts} attempts");
        return found!;
    }

    private sealed class SenderLogger(Support.ListLogger inner) : Microsoft.Extensions.Logging.ILogger<WebhookSender>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => inner.Log(logLevel, eventId, state, exception, formatter);
    }

    public async ValueTask DisposeAsync()
    {
        await Sender.StopAsync(CancellationToken.None);
        Sender.Dispose();
        Client.Dispose();
        _folder.Dispose();
    }
}
