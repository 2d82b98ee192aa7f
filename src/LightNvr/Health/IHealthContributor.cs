namespace LightNvr.Health;

/// <summary>
/// Implemented by subsystems that know something for <c>GET /api/health</c> and <c>GET /api/system</c>: the streaming
/// core adds its streams, the recorder its recording counts and bytes. Register as
/// <c>services.AddSingleton&lt;IHealthContributor, MyContributor&gt;()</c>; every registered one is asked on each
/// request, so keep it cheap (counters already in memory, no I/O, no database scan).
/// </summary>
public interface IHealthContributor
{
    void Contribute(HealthReport report);
}
