using LightNvr.Data;

namespace LightNvr.Detection;

/// <summary>
/// Which streams get a decoder and at what frame size. As upstream, <c>detection_model</c> selects the detector:
/// <c>"motion"</c> is the built-in motion detector (this issue). Object models (a model path, <c>api-detection</c>)
/// come with "Detection, part 2", where motion gates them; <c>onvif</c> needs no pixels. <c>detection_based_recording</c>
/// decides what an event records (the event spine), not whether detection runs.
/// </summary>
public static class DetectionPlan
{
    /// <summary>Upstream's name of the built-in motion detector (<c>GET /api/detection/models</c>: id "motion").</summary>
    public const string MotionModel = "motion";

    /// <summary>Picture size assumed while the stream has not said its own (16:9, the common camera shape).</summary>
    public const int FallbackWidth = 640, FallbackHeight = 360;

    /// <summary>Upstream's ONVIF event source: no pixels, nothing for the decoder.</summary>
    public const string OnvifModel = "onvif";

    /// <summary>Upstream's external detection API (<c>[api_detection]</c>); an object detector like a model file.</summary>
    public const string ApiModel = "api-detection";

    public static bool WantsMotion(StreamConfig stream) =>
        stream.Enabled && string.Equals(stream.DetectionModel.Trim(), MotionModel, StringComparison.OrdinalIgnoreCase);

    /// <summary>An object detector: a model file or name, <c>onnx</c>, or <c>api-detection</c>; motion runs as its gate.</summary>
    public static bool WantsObjects(StreamConfig stream)
    {
        var m = stream.DetectionModel.Trim();
        return stream.Enabled && m.Length > 0 && !m.Equals(MotionModel, StringComparison.OrdinalIgnoreCase)
            && !m.Equals(OnvifModel, StringComparison.OrdinalIgnoreCase) && !m.Equals("none", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A stream that needs a decoder: motion, or objects (with motion as their gate).</summary>
    public static bool WantsDecoder(StreamConfig stream) => WantsMotion(stream) || WantsObjects(stream);

    /// <summary><c>motion</c>, <c>onvif</c>, <c>api-detection</c> or <c>none</c>: not a model file.</summary>
    public static bool IsBuiltIn(string model) => model.Trim().ToLowerInvariant() is MotionModel or OnvifModel or ApiModel or "none";

    /// <summary>True when <paramref name="after"/> needs its detector restarted (or started or stopped).</summary>
    public static bool DetectorChanged(StreamConfig before, StreamConfig after) =>
        WantsDecoder(before) != WantsDecoder(after) || before.SubStreamUrl != after.SubStreamUrl || before.Protocol != after.Protocol
        || !string.Equals(before.DetectionModel.Trim(), after.DetectionModel.Trim(), StringComparison.OrdinalIgnoreCase)
        || (WantsObjects(after) && (before.DetectionInterval != after.DetectionInterval
            || before.DetectionThreshold != after.DetectionThreshold || before.DetectionObjectFilter != after.DetectionObjectFilter
            || before.DetectionObjectFilterList != after.DetectionObjectFilterList || before.DetectionMotionGate != after.DetectionMotionGate));

    /// <summary>Detection frame size: <paramref name="width"/> wide, the source's aspect, both even (ffmpeg's scaler wants it).</summary>
    public static (int Width, int Height) FrameSize(int sourceWidth, int sourceHeight, int width)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0)
        {
            (sourceWidth, sourceHeight) = (FallbackWidth, FallbackHeight);
        }
        width = Math.Max(16, width & ~1);
        var height = (int)Math.Round((double)width * sourceHeight / sourceWidth);
        return (width, Math.Max(16, height & ~1));
    }
}
