namespace LightNvr.Media;

public enum MediaKind
{
    Video,
    Audio,
}
