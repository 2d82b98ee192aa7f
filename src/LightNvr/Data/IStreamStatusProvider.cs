namespace LightNvr.Data;

/// <summary>
/// Live state of a stream for the stream JSON's <c>status</c> field: one of upstream's Running, Stopped, Starting,
/// Stopping, Error, Reconnecting, Unknown; an error message only with Error. Implemented by the streaming core;
/// the default answers Unknown.
/// </summary>
public interface IStreamStatusProvider
{
    StreamStatus GetStatus(string streamName);
}
