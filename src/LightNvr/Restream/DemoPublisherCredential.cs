namespace LightNvr.Restream;

/// <summary>The demo camera's ffmpeg: allowed to publish exactly one stream, <c>demo</c>.</summary>
public sealed class DemoPublisherCredential() : InternalPublisherCredential(UserName)
{
    /// <summary>The user name the demo camera's ffmpeg sends.</summary>
    public const string UserName = "demo-camera";
}
