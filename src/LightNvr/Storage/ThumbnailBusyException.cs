namespace LightNvr.Storage;

/// <summary>Too many thumbnails are being made; the endpoint answers 503 with Retry-After.</summary>
public sealed class ThumbnailBusyException : Exception
{
    public ThumbnailBusyException() : base("Thumbnail generator busy")
    {
    }

    public ThumbnailBusyException(string message) : base(message)
    {
    }

    public ThumbnailBusyException(string message, Exception inner) : base(message, inner)
    {
    }
}
