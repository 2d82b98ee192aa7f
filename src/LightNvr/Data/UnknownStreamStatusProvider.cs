namespace LightNvr.Data;

/// <summary>Default <see cref="IStreamStatusProvider"/> until the streaming core registers its own.</summary>
public sealed class UnknownStreamStatusProvider : IStreamStatusProvider
{
    public StreamStatus GetStatus(string streamName) => StreamStatus.Unknown;
}
