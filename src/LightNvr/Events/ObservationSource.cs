namespace LightNvr.Events;

/// <summary>Where an observation came from. Every source feeds the same event model (architecture D9).</summary>
public enum ObservationSource
{
    /// <summary>The built-in motion detector (<c>detection_model = "motion"</c>).</summary>
    Motion,

    /// <summary>An object detector: in-process ONNX or an external detection API ("Detection, part 2").</summary>
    Object,

    /// <summary>A camera's own ONVIF event (motion, tamper, line crossing).</summary>
    Onvif,

    /// <summary><c>POST /api/motion/trigger</c>: another system says something happened.</summary>
    External,
}
