namespace LightNvr.Media.Rtsp.Server;

/// <summary>Server session states, RFC 2326 Appendix A.2.</summary>
public enum RtspSessionState
{
    /// <summary>No SETUP yet (a DESCRIBE or ANNOUNCE may have been answered).</summary>
    Init,

    /// <summary>At least one track set up, not playing or recording (also after PAUSE).</summary>
    Ready,

    Playing,

    Recording,
}
