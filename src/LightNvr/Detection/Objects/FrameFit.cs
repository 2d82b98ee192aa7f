namespace LightNvr.Detection.Objects;

/// <summary>
/// How a frame was placed in the model input: input = frame × (ScaleX, ScaleY) + (PadX, PadY). Maps a box in input
/// pixels back to the frame, normalised 0–1.
/// </summary>
public readonly record struct FrameFit(float ScaleX, float ScaleY, float PadX, float PadY, int FrameWidth, int FrameHeight)
{
    public static FrameFit For(ResizeMode mode, int frameWidth, int frameHeight, int inputWidth, int inputHeight)
    {
        if (mode == ResizeMode.Stretch)
        {
            return new FrameFit((float)inputWidth / frameWidth, (float)inputHeight / frameHeight, 0, 0, frameWidth, frameHeight);
        }
        var scale = Math.Min((float)inputWidth / frameWidth, (float)inputHeight / frameHeight);
        var padX = (inputWidth - (frameWidth * scale)) / 2;
        var padY = (inputHeight - (frameHeight * scale)) / 2;
        return new FrameFit(scale, scale, padX, padY, frameWidth, frameHeight);
    }

    /// <summary>The box in frame coordinates normalised to 0–1, clipped to the frame; null when nothing of it is inside.</summary>
    public Events.NormalizedBox? ToFrame(RawDetection d)
    {
        var x1 = Math.Clamp((d.X1 - PadX) / ScaleX / FrameWidth, 0, 1);
        var y1 = Math.Clamp((d.Y1 - PadY) / ScaleY / FrameHeight, 0, 1);
        var x2 = Math.Clamp((d.X2 - PadX) / ScaleX / FrameWidth, 0, 1);
        var y2 = Math.Clamp((d.Y2 - PadY) / ScaleY / FrameHeight, 0, 1);
        return x2 > x1 && y2 > y1 ? new Events.NormalizedBox(x1, y1, x2 - x1, y2 - y1) : null;
    }
}
