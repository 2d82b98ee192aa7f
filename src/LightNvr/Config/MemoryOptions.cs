namespace LightNvr.Config;

/// <summary>[memory]: upstream's buffer and swap keys (read and kept; the .NET server sizes its own buffers).</summary>
public sealed record MemoryOptions
{
    /// <summary>KB per stream; 64 KB to 1 GB.</summary>
    [ConfigKey(Min = 64, Max = 1048576, Setting = "buffer_size", NoEffect = "stored, no effect yet")]
    public int BufferSize { get; init; } = 1024;

    [ConfigKey(Setting = "use_swap", NoEffect = "stored, no effect yet")]
    public bool UseSwap { get; init; } = true;

    [ConfigKey(IsPath = true, NoEffect = "stored, no effect yet")]
    public string SwapFile { get; init; } = "data/swap";

    /// <summary>Bytes.</summary>
    [ConfigKey(Min = 0, NoEffect = "stored, no effect yet")]
    public long SwapSize { get; init; } = 134217728;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(MemoryOptions);
}
