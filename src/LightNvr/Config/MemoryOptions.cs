namespace LightNvr.Config;

/// <summary>[memory]: upstream's buffer and swap keys (read and kept; the .NET server sizes its own buffers).</summary>
public sealed class MemoryOptions
{
    /// <summary>KB per stream; 64 KB to 1 GB.</summary>
    [ConfigKey(Min = 64, Max = 1048576, Setting = "buffer_size", NoEffect = "stored, no effect yet")]
    public int BufferSize { get; set; } = 1024;

    [ConfigKey(Setting = "use_swap", NoEffect = "stored, no effect yet")]
    public bool UseSwap { get; set; } = true;

    [ConfigKey(IsPath = true, NoEffect = "stored, no effect yet")]
    public string SwapFile { get; set; } = "data/swap";

    /// <summary>Bytes.</summary>
    [ConfigKey(Min = 0, NoEffect = "stored, no effect yet")]
    public long SwapSize { get; set; } = 134217728;
}
