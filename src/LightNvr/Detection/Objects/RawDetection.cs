namespace LightNvr.Detection.Objects;

/// <summary>One decoded box before mapping back to the frame: corners in model input pixels, score 0–1, class index.</summary>
public readonly record struct RawDetection(float X1, float Y1, float X2, float Y2, float Score, int Class)
{
    public float Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);

    public float IoU(RawDetection other)
    {
        var w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }
        var inter = w * h;
        return inter / (Area + other.Area - inter);
    }
}
