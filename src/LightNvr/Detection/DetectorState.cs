namespace LightNvr.Detection;

/// <summary>Where a stream's decoder is, for the health answer.</summary>
public enum DetectorState
{
    /// <summary>Waiting for the stream's first keyframe (camera not connected yet).</summary>
    Waiting,

    /// <summary>ffmpeg runs and frames come out.</summary>
    Running,

    /// <summary>The decoder died or hung; it is restarted after a backoff delay.</summary>
    Restarting,

    Stopped,
}
