using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Config;

public static class ConfigServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConfigSnapshots"/> over the registered <see cref="LightNvrConfig"/> (its first snapshot) and
    /// each section a class may ask for (<see cref="ConfigSection{T}"/>). Idempotent: every subsystem that needs the
    /// configuration may call it.
    /// </summary>
    public static IServiceCollection AddLightNvrConfigSnapshots(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ConfigSnapshots(sp.GetRequiredService<LightNvrConfig>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().General);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().Storage);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().Web);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().Streams);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().Go2rtc);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().Mqtt);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().ApiDetection);
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigSnapshots>().Demo);
        return services;
    }
}
