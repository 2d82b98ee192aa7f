namespace LightNvr.Detection.Objects;

/// <summary>How a frame is fitted to a model's input.</summary>
public enum ResizeMode
{
    /// <summary>Keep the aspect, pad with grey (114, Ultralytics' value): what YOLO models are trained with.</summary>
    Letterbox,

    /// <summary>Scale each axis to the input: what SSD and CenterNet exports expect.</summary>
    Stretch,
}
