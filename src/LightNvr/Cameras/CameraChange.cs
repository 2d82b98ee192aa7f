namespace LightNvr.Cameras;

/// <summary>What a changed stream row does to its running camera (<see cref="CameraService"/>).</summary>
public enum CameraChange
{
    /// <summary>Nothing the connection or the recorder uses changed: the camera takes the new row as it runs.</summary>
    Keep,

    /// <summary>
    /// Only recorder settings changed (<c>record</c>, <c>record_audio</c>, <c>segment_duration</c>): the recorder is
    /// reconfigured, the camera connection and its live viewers stay.
    /// </summary>
    Recorder,

    /// <summary>The connection itself changed (URL, protocol) or the camera is not running yet: (re)start it.</summary>
    Restart,

    /// <summary>The stream was disabled: stop the camera.</summary>
    Stop,
}
