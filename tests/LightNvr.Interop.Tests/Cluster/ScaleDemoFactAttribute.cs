namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// The full recorder-node demonstration (three server processes, twelve cameras): too heavy for <c>make test</c>; it
/// runs under <c>make scale</c> (LIGHTNVR_SCALE_DEMO=1) and is reported as skipped otherwise.
/// </summary>
public sealed class ScaleDemoFactAttribute : FactAttribute
{
    public ScaleDemoFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LIGHTNVR_SCALE_DEMO") != "1")
        {
            Skip = "three nodes and twelve cameras: run with `make scale` (LIGHTNVR_SCALE_DEMO=1)";
        }
    }
}
