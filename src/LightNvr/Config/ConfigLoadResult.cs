namespace LightNvr.Config;

/// <summary>The loaded configuration and the warnings to log once logging is up (unknown keys, repeats).</summary>
public sealed record ConfigLoadResult(LightNvrConfig Config, IReadOnlyList<string> Warnings);
