namespace LightNvr.Hosting;

/// <summary>
/// Puts hosted services into a stated start order. The generic host starts hosted services one after another in
/// registration order, awaiting each <c>StartAsync</c> (for a BackgroundService: up to the first await of
/// <c>ExecuteAsync</c>), and stops them in reverse. Left alone, the order of the <c>Add…</c> calls would decide
/// which subsystem starts first; <see cref="StartInOrder"/> makes it the order of a list instead
/// (<c>LightNvrComposition</c> passes <c>StartupSequence.Steps</c>).
/// </summary>
public static class HostedServiceOrder
{
    /// <summary>
    /// Reorders the hosted services whose type is in <paramref name="order"/> so they start in that order, as one block
    /// at the place of the first of them; other hosted services and registrations keep their places.
    /// </summary>
    public static IServiceCollection StartInOrder(this IServiceCollection services, IReadOnlyList<Type> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var steps = services.Select((d, i) => (Descriptor: d, Index: i, Rank: Rank(d, order))).Where(s => s.Rank >= 0).ToList();
        if (steps.Count == 0)
        {
            return services;
        }

        var at = steps[0].Index;
        foreach (var step in steps)
        {
            services.Remove(step.Descriptor);
        }
        foreach (var (step, k) in steps.OrderBy(s => s.Rank).Select((s, k) => (s, k)))
        {
            services.Insert(at + k, step.Descriptor);
        }
        return services;
    }

    /// <summary>
    /// The hosted service type a registration makes: its implementation type, its instance's type, or the return type
    /// of its factory (<c>AddHostedService(sp => …)</c> keeps the lambda's return type in the delegate's type).
    /// </summary>
    public static Type? HostedType(ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService)
        {
            return null;
        }
        return descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType()
            ?? (descriptor.ImplementationFactory?.GetType() is { IsGenericType: true } factory ? factory.GetGenericArguments()[^1] : null);
    }

    private static int Rank(ServiceDescriptor descriptor, IReadOnlyList<Type> order) =>
        HostedType(descriptor) is { } type ? IndexOf(order, type) : -1;

    private static int IndexOf(IReadOnlyList<Type> order, Type type)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == type)
            {
                return i;
            }
        }
        return -1;
    }
}
