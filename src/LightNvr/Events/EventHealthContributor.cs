using LightNvr.Health;
using LightNvr.Hosting;

namespace LightNvr.Events;

/// <summary>
/// Adds each event-recording stream's pre-event buffer (bytes, seconds) to its <c>streams_detail</c> entry in
/// <c>/api/health</c> and <c>/api/system</c>, and whether it is recording an event now. Registered after the cameras' contributor, which makes the entries.
/// </summary>
public sealed class EventHealthContributor(EventRecordingService recording) : IHealthContributor
{
    public void Contribute(HealthReport report)
    {
        foreach (var recorder in recording.Recorders)
        {
            var entry = report.StreamsDetail.FirstOrDefault(s => s.Name == recorder.StreamName);
            if (entry is not null)
            {
                var (bytes, seconds) = recorder.BufferState;
                entry.PreBufferBytes = bytes;
                entry.PreBufferSeconds = Math.Round(seconds, 1);
                entry.RecordingActive = recorder.IsRecording; // event recording: writing only during events
            }
        }
    }
}
