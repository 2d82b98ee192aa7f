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

    public static bool WantsMotion(StreamConfig stream) =>
        stream.Enabled && string.Equals(stream.DetectionModel.Trim(), MotionModel, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="after"/> needs its detector restarted (or started or stopped).</summary>
    public static bool DetectorChanged(StreamConfig before, StreamConfig after) =>
        WantsMotion(before) != WantsMotion(after) || before.SubStreamUrl != after.SubStreamUrl || before.Protocol != after.Protocol;

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
