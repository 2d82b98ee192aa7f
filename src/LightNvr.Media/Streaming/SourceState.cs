namespace LightNvr.Media.Streaming;

/// <summary>Connection state of a stream's source, as the stream JSON shows it.</summary>
public enum SourceState
{
    /// <summary>Not running: on-demand source with no consumer, or stopped.</summary>
    Idle,
    Connecting,
    Connected,
    /// <summary>The last attempt failed; a retry is scheduled (see <see cref="SourceStatus.RetryAt"/>).</summary>
    Error,
}
