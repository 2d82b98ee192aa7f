namespace LightNvr.Detection;

/// <summary>What one frame did to a <see cref="MotionDetector"/> (for the caller, diagnostics and tests).</summary>
/// <param name="Reports">Motion to report now (empty most of the time).</param>
/// <param name="ChangedFraction">Share of the frame's pixels over the threshold.</param>
/// <param name="PixelThreshold">The per-pixel threshold used (gray levels).</param>
/// <param name="Triggered">Some zone had enough changed pixels in this frame.</param>
/// <param name="LightingChange">Most of the picture changed at once: taken as light, the background was re-learnt.</param>
/// <param name="Active">A motion run is in progress (reports may still be rate-limited).</param>
public sealed record MotionFrameResult(IReadOnlyList<MotionReport> Reports, double ChangedFraction, float PixelThreshold,
    bool Triggered, bool LightingChange, bool Active)
{
    /// <summary>
    /// When the reports' motion began, if not this frame's time: on the frame that starts a run, the time of the run's
    /// first triggering frame (the event starts when the motion did, not <c>min_motion_frames</c> later).
    /// </summary>
    public DateTimeOffset? ReportedAt { get; init; }
}
