namespace LightNvr.Fuzz;

/// <summary>A parser returned normally but broke a documented promise (no progress, a bad frame, a lost value).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
