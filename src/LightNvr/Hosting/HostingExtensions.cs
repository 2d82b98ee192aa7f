using System.Net;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Hosting;

/// <summary>
/// The host's own part of the composition root: configuration as a singleton, Kestrel on <c>[web] bind_ip:port</c>
/// only, our logger, the shutdown coordinator, request counters, health and system services.
/// </summary>
public static class HostingExtensions
{
    /// <summary>Above the coordinator's worst case (four priority groups × <see cref="ShutdownCoordinator.MaxStopTime"/>).</summary>
    private static readonly TimeSpan MaxHostShutdown = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every request body, whatever its transfer encoding: the largest body any endpoint reads (the API's
    /// <c>RequestBody.MaxBodyBytes</c> is this number; a stream with a long go2rtc override fits many times over);
    /// Kestrel's default is 30 MB. Endpoint readers count too (some have smaller caps); this one holds for any code that
    /// reads a body without counting. WebSocket frames are not limited.
    /// </summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static WebApplicationBuilder AddLightNvrHosting(this WebApplicationBuilder builder, LightNvrConfig config)
    {
        var time = TimeProvider.System;
        var sink = new LogSink(time, new LogRingBuffer(), config.General.LogFile, Console.Out, config.General.LogLevel);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new LightNvrLoggerProvider(sink));

        // ConfigureKestrel, not UseKestrel: the slim builder already adds Kestrel's core; UseKestrel would add the HTTPS
        // configuration loader and the QUIC (HTTP/3) transport, neither used here (loaded assemblies cost idle memory).
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            k.Listen(IPAddress.Parse(config.Web.BindIp), config.Web.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = MaxHostShutdown);
        builder.Services.AddLightNvrHostServices(config, time, sink);
        return builder;
    }

    /// <summary>
    /// The host's services without logging or Kestrel (tests use this on their own host): configuration, clock, log
    /// sink (a console-less, file-less one when none is given), shutdown coordinator, health, system and settings.
    /// </summary>
    public static IServiceCollection AddLightNvrHostServices(this IServiceCollection services, LightNvrConfig config,
        TimeProvider? time = null, LogSink? sink = null)
    {
        services.TryAddSingleton(config);
        services.AddLightNvrConfigSnapshots();
        services.TryAddSingleton(time ?? TimeProvider.System);
        if (sink is not null)
        {
            services.AddSingleton(sink); // an instance: the container does not dispose it, so the last lines still reach the file
        }
        else
        {
            services.AddSingleton(sp => new LogSink(sp.GetRequiredService<TimeProvider>(), new LogRingBuffer(), null, null, config.General.LogLevel));
        }

        services.AddSingleton(sp => new ServerInfo(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RequestCounters>();
        services.AddSingleton<ShutdownCoordinator>();
        services.AddHostedService<ShutdownService>();
        services.AddSingleton<HostControl>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<SystemInfoService>();
        services.AddSingleton<SettingsService>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HealthJsonContext.Default));
        return services;
    }

    /// <summary>
    /// Request counting first, so every answer is counted; then the security headers (<see cref="SecurityHeaders"/>); a
    /// log level changed through the settings API applies at once.
    /// </summary>
    public static WebApplication UseLightNvrHosting(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ServerInfo>(); // uptime counts from here, not from the first request
        var sink = app.Services.GetRequiredService<LogSink>();
        app.Services.GetRequiredService<ConfigSnapshots>().Changed += change =>
        {
            if (change.Touches("general", "log_level"))
            {
                sink.ConfigLevel = change.Current.General.LogLevel;
            }
        };
        var counters = app.Services.GetRequiredService<RequestCounters>();
        app.Use((context, next) => counters.InvokeAsync(context, next));
        app.Use((context, next) =>
        {
            SecurityHeaders.Apply(context.Response.Headers); // before anything answers, so errors carry them too
            return next(context);
        });
        return app;
    }
}
