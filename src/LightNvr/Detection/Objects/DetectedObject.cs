using LightNvr.Events;

namespace LightNvr.Detection.Objects;

/// <summary>One object a detector found: its class label (COCO name by default), score 0–1 and box.</summary>
public sealed record DetectedObject(string Label, float Confidence, NormalizedBox Box);
