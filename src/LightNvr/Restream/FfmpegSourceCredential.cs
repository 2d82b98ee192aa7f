namespace LightNvr.Restream;

/// <summary>The ffmpeg of an <c>ffmpeg:</c>, MJPEG or rtsps source: allowed to publish only streams with such a source.</summary>
public sealed class FfmpegSourceCredential() : InternalPublisherCredential(UserName)
{
    public const string UserName = "ffmpeg-source";
}
