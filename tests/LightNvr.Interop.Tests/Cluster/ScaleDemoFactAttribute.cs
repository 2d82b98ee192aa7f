namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// The long recorder-node demonstrations (three server processes and twelve cameras; a 60 s database outage): too
/// heavy for <c>make test</c>; they run under <c>make scale</c> (LIGHTNVR_SCALE_DEMO=1) and are reported as skipped otherwise.
/// </summary>
public sealed class ScaleDemoFactAttribute : FactAttribute
{
    public ScaleDemoFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LIGHTNVR_SCALE_DEMO") != "1")
        {
            Skip = "a long recorder-node demonstration (docs/scale.md): run with `make scale` (LIGHTNVR_SCALE_DEMO=1)";
        }
    }
}
