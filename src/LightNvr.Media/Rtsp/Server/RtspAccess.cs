namespace LightNvr.Media.Rtsp.Server;

/// <summary>What a client asks to do with a stream.</summary>
public enum RtspAccess
{
    /// <summary>DESCRIBE, SETUP and PLAY: read the stream.</summary>
    Read,

    /// <summary>ANNOUNCE, SETUP (mode=record) and RECORD: push a stream in.</summary>
    Publish,
}
