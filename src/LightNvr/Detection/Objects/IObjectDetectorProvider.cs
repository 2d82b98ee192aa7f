using LightNvr.Data;

namespace LightNvr.Detection.Objects;

/// <summary>
/// Makes the detector a stream's <c>detection_model</c> names, when it is this provider's kind: the ONNX provider takes
/// model files and names (<see cref="OnnxDetectorProvider"/>), an API provider takes <c>api-detection</c>. Registered
/// as <c>IEnumerable&lt;IObjectDetectorProvider&gt;</c>; the first that answers non-null wins. Creating must be cheap
/// (no model load, no network): the detector loads or connects on its first frame.
/// </summary>
public interface IObjectDetectorProvider
{
    IObjectDetector? Create(StreamConfig stream);
}
