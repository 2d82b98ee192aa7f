namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>
/// When to cut a fragment: when the buffered media reaches <see cref="TargetDuration"/> (about one second: the most a
/// power cut may lose, architecture D2), or earlier at a keyframe when <see cref="CutAtKeyFrames"/> is set (then every
/// fragment that can start one does, which MSE and HLS parts like). Call after each <see cref="Fmp4Muxer.AddFrame"/>.
/// </summary>
public sealed class Fmp4FragmentPolicy
{
    public TimeSpan TargetDuration { get; init; } = TimeSpan.FromSeconds(1);

    public bool CutAtKeyFrames { get; init; } = true;

    /// <summary>With <see cref="CutAtKeyFrames"/>, do not cut at a keyframe before this much is buffered.</summary>
    public TimeSpan MinDurationAtKeyFrame { get; init; } = TimeSpan.FromMilliseconds(100);

    public bool ShouldFlush(Fmp4Muxer muxer)
    {
        var buffered = muxer.BufferedDuration;
        if (buffered >= TargetDuration)
        {
            return true;
        }

        return CutAtKeyFrames && muxer.NextSampleIsKeyFrame && buffered >= MinDurationAtKeyFrame;
    }
}
