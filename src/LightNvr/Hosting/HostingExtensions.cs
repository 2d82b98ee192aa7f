using System.Net;
using LightNvr.Config;

namespace LightNvr.Hosting;

/// <summary>
/// The host's own part of the composition root: configuration as a singleton, Kestrel on <c>[web] bind_ip:port</c>
/// only, our logger, the shutdown coordinator, request counters, health and system services.
/// </summary>
public static class HostingExtensions
{
    /// <summary>Above the coordinator's worst case (four priority groups × <see cref="ShutdownCoordinator.MaxStopTime"/>).</summary>
    private static readonly TimeSpan MaxHostShutdown = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddLightNvrHosting(this WebApplicationBuilder builder, LightNvrConfig config)
    {
        var time = TimeProvider.System;
        var sink = new LogSink(time, new LogRingBuffer(), config.General.LogFile, Console.Out, config.General.LogLevel);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new LightNvrLoggerProvider(sink));

        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(config.Web.BindIp), config.Web.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = MaxHostShutdown);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HostJsonContext.Default));

        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(time);
        services.AddSingleton(sink);
        services.AddSingleton(new ServerInfo(time));
        services.AddSingleton<RequestCounters>();
        services.AddSingleton<ShutdownCoordinator>();
        services.AddHostedService<ShutdownService>();
        services.AddSingleton<HostControl>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<SystemInfoService>();
        services.AddSingleton<SettingsService>();
        return builder;
    }

    /// <summary>Request counting first, so every answer is counted; a log level changed through the settings API applies at once.</summary>
    public static WebApplication UseLightNvrHosting(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<LightNvrConfig>();
        var sink = app.Services.GetRequiredService<LogSink>();
        app.Services.GetRequiredService<SettingsService>().Changed += keys =>
        {
            if (keys.Any(k => k.Section == "general" && k.Key == "log_level"))
            {
                sink.ConfigLevel = config.General.LogLevel;
            }
        };
        var counters = app.Services.GetRequiredService<RequestCounters>();
        app.Use((context, next) => counters.InvokeAsync(context, next));
        return app;
    }
}
