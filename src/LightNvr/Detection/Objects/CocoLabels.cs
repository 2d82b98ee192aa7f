namespace LightNvr.Detection.Objects;

/// <summary>
/// The COCO class names models are trained on: the 80 contiguous classes (YOLO, CenterNet) and TF's 1-based 90-id
/// label map with its gaps (SSD exports of the TF Object Detection API), so an SSD model without a labels file names
/// its classes right.
/// </summary>
public static class CocoLabels
{
    public static readonly IReadOnlyList<string> Coco80 =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
        "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
        "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
        "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
        "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
        "hair drier", "toothbrush",
    ];

    /// <summary>TF label-map ids (1–90) of the 80 classes, in <see cref="Coco80"/> order; the other ids are unused.</summary>
    private static readonly int[] Coco91Ids =
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34,
        35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
    ];

    /// <summary>Index = TF id; "" for the ids the 2017 release does not use.</summary>
    public static readonly IReadOnlyList<string> Coco91 = BuildCoco91();

    private static string[] BuildCoco91()
    {
        var names = new string[91];
        Array.Fill(names, "");
        for (var i = 0; i < Coco91Ids.Length; i++)
        {
            names[Coco91Ids[i]] = Coco80[i];
        }
        return names;
    }
}
