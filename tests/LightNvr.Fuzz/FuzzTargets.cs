using LightNvr.Fuzz.Targets;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Fuzz;

/// <summary>Every target, by name. Network parsers first, then files and request bodies.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("rtsp", "RTSP byte stream (messages + $ frames) through RtspMessageParser, whole and split in two",
            RtspTarget.Run),
        new("sdp", "SDP text: SdpSessionDescription.TryParse, payload formats, depacketizer creation", SdpTarget.Run),
        new("rtp-h264", "RTP packets ([u16 length][packet]...) into the H.264 depacketizer", RtpTarget.RunH264),
        new("rtp-h265", "RTP packets into the H.265 depacketizer", RtpTarget.RunH265),
        new("rtp-aac", "RTP packets into the AAC (RFC 3640 AAC-hbr) depacketizer", RtpTarget.RunAac),
        new("h264-sps", "H.264 SPS NAL unit: H264SequenceParameterSet.TryParse, codec string", CodecTargets.RunH264Sps),
        new("h265-ps", "H.265 VPS/SPS NAL unit: parsers, HevcSpsInfo, codec string", CodecTargets.RunH265ParameterSets),
        new("aac-config", "AAC AudioSpecificConfig, binary and SDP hex", CodecTargets.RunAacConfig),
        new("mp4", "MP4 file through Fmp4Reader.Read", Mp4Target.Run),
        new("ini", "lightnvr.ini text: IniDocument.Parse, ConfigLoader.Bind, write-back", IniTarget.Run),
        new("json-stream", "API JSON body (RequestBody's parse options) into RequestFields and StreamRequest",
            JsonTargets.RunStreamRequest),
        new("json-settings", "POST /api/settings body through SettingsService.Apply, INI written and read back",
            JsonTargets.RunSettings),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
