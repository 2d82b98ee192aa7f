using System.Collections.Concurrent;
using LightNvr.Events;

namespace LightNvr.Interop.Tests.Detection;

/// <summary>The observation sink of the tests: keeps every observation (thread-safe).</summary>
internal sealed class CapturingSink : IObservationSink
{
    private readonly ConcurrentQueue<Observation> _seen = new();

    public IReadOnlyList<Observation> Seen => _seen.ToArray();

    public IReadOnlyList<Observation> For(string stream) => _seen.Where(o => o.Stream == stream).ToArray();

    public void Observe(Observation observation) => _seen.Enqueue(observation);
}
