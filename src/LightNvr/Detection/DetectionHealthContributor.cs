using LightNvr.Health;
using LightNvr.Hosting;

namespace LightNvr.Detection;

/// <summary>
/// Adds each detecting stream's decoder to its <c>streams_detail</c> entry in <c>/api/health</c> (counters only). A
/// failing decoder does not change the stream's up/down status: recording and live view do not depend on it.
/// Registered after the camera contributor, whose entries it completes.
/// </summary>
public sealed class DetectionHealthContributor(DetectionService detection) : IHealthContributor
{
    public void Contribute(HealthReport report)
    {
        foreach (var detector in detection.Detectors)
        {
            var entry = report.StreamsDetail.FirstOrDefault(s => s.Name == detector.Name);
            if (entry is null)
            {
                continue;
            }
            entry.Detection = new DetectionHealth
            {
                Model = detector.Objects?.DetectorName ?? DetectionPlan.MotionModel,
                Source = detector.Source,
                State = detector.State.ToString().ToLowerInvariant(),
                DecoderRestarts = detector.Restarts,
                FramesAnalyzed = detector.FramesAnalyzed,
                Observations = detector.Observations,
                Motion = detector.MotionActive,
                LastError = detector.LastError,
            };
            if (detector.Objects is { } objects)
            {
                entry.Detection.Objects = new ObjectDetectionHealth
                {
                    Detector = objects.DetectorName,
                    MotionGate = objects.MotionGated,
                    IntervalSeconds = objects.IntervalSeconds,
                    FramesOffered = objects.FramesOffered,
                    FramesGated = objects.FramesGated,
                    FramesEarly = objects.FramesEarly,
                    FramesDropped = objects.FramesDropped,
                    Inferences = objects.Inferences,
                    LastInferenceMs = Math.Round(objects.LastInferenceMs, 1),
                    ObjectsReported = objects.ObjectsReported,
                    LastError = objects.LastError,
                };
                entry.Detection.State = objects.LastError is null ? entry.Detection.State : "error";
            }
        }
    }
}
