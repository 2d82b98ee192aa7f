namespace LightNvr.Tests.Events;

/// <summary>
/// Heap measurements (<see cref="GC.GetTotalMemory"/> is process-wide) run alone, after every parallel test, so other
/// tests' allocations do not show up in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}
