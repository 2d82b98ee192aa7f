namespace LightNvr.Live;

/// <summary>go2rtc's consumer format names, also used as the viewers' hub subscription names.</summary>
public static class LiveFormats
{
    public const string Mse = "mse/fmp4";
    public const string Mp4 = "mp4";
    public const string Hls = "hls/fmp4";
    public const string Jpeg = "jpeg";
}
