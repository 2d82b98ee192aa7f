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
                Model = DetectionPlan.MotionModel,
                Source = detector.Source,
                State = detector.State.ToString().ToLowerInvariant(),
                DecoderRestarts = detector.Restarts,
                FramesAnalyzed = detector.FramesAnalyzed,
                Observations = detector.Observations,
                Motion = detector.MotionActive,
                LastError = detector.LastError,
            };
        }
    }
}
