namespace LightNvr.Detection;

/// <summary>
/// How detection gets its pixels (docs/detection.md). Not an INI section yet: the defaults are what the design and the
/// benchmark use; tests and the benchmark set them in code.
/// </summary>
public sealed class FrameSourceOptions
{
    /// <summary>Highest motion rate the issue asks for: 5 frames a second.</summary>
    public const double MaxMotionFps = 5;

    /// <summary>Width of the frames motion looks at: 320 (height keeps the picture's aspect, even).</summary>
    public const int DefaultWidth = 320;

    /// <summary>Frames a second decoded for motion (at most <see cref="MaxMotionFps"/>).</summary>
    public double MotionFps { get; set; } = MaxMotionFps;

    public int Width { get; set; } = DefaultWidth;

    /// <summary>
    /// Width of the RGB frames object detection gets: 640 (height keeps the aspect), the input side of the common
    /// YOLO exports, so a 640 model sees the whole frame at full resolution and a 512 or 320 one is downscaled once.
    /// </summary>
    public const int DefaultObjectWidth = 640;

    public int ObjectWidth { get; set; } = DefaultObjectWidth;

    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Skip H.264/H.265 in-loop deblocking while decoding for detection (<c>-skip_loop_filter all</c>): a 320-wide gray
    /// frame cannot show the blocking, and it saves a fifth or more of the decode (docs/detection.md, measured).
    /// </summary>
    public bool SkipLoopFilter { get; set; } = true;

    /// <summary>A decoder that was fed this long without writing a frame is taken as hung and restarted.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
