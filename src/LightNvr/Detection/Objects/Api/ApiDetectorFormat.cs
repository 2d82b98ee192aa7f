namespace LightNvr.Detection.Objects.Api;

/// <summary>What an external detection service speaks; chosen from the URL (<see cref="ApiDetectorSettings.FormatOf"/>).</summary>
public enum ApiDetectorFormat
{
    /// <summary>
    /// opensensor/light-object-detect, upstream's: <c>POST {url}?backend=…&amp;confidence_threshold=0.50&amp;return_image=false</c>,
    /// multipart part <c>file</c> (snapshot.jpg, image/jpeg); reply <c>detections[]</c> with <c>label</c>,
    /// <c>confidence</c> and <c>bounding_box.{x_min,y_min,x_max,y_max}</c> normalised 0–1 (or the four at the top level).
    /// </summary>
    LightObjectDetect,

    /// <summary>
    /// DeepStack / CodeProject.AI: <c>POST …/v1/vision/detection</c>, multipart part <c>image</c> and form field
    /// <c>min_confidence</c>; reply <c>{"success":true,"predictions":[{label,confidence,x_min,y_min,x_max,y_max}]}</c>
    /// in pixels of the uploaded image.
    /// </summary>
    DeepStack,
}
