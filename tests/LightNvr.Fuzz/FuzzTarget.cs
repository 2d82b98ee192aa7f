namespace LightNvr.Fuzz;

/// <summary>
/// One fuzz target: a parser fed one input. <see cref="Run"/> returns normally for every input the parser handles as
/// documented (parsed, or rejected in its documented way: false, null, a counted error, a named exception); anything
/// else escapes and is a finding: an unexpected exception, a <see cref="FuzzInvariantException"/> from a broken
/// invariant, a hang (afl-fuzz's timeout) or a huge allocation (the GC heap limit scripts/fuzz.sh sets).
/// </summary>
/// <param name="Name">The argument that selects it (<c>LightNvr.Fuzz run NAME</c>).</param>
/// <param name="Description">What is fed and what counts as a bug.</param>
/// <param name="Run">The target itself.</param>
public sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run);
