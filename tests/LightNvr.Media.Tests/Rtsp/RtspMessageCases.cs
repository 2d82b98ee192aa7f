using System.Text;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// The case table shared by the parse, write and mutation tests. Two kinds of input (see TestData/README.md):
/// transcripts captured from GStreamer's RTSP server (files under TestData/rtsp), and replies in the formats that
/// Hikvision, Dahua, Axis and Reolink cameras are documented and widely reported to send, written by hand here
/// (addresses, nonces and parameter sets made up). They are not captures from those devices.
/// </summary>
public static class RtspMessageCases
{
    public static IReadOnlyList<RtspMessageCase> All { get; } = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static RtspMessageCase Get(string name) => All.Single(c => c.Name == name);

    private static List<RtspMessageCase> Build()
    {
        var cases = new List<RtspMessageCase>();
        foreach (var file in TestFiles.List("rtsp", "gst-*.bin"))
        {
            if (!file.Contains("play-stream", StringComparison.Ordinal))
            {
                cases.Add(new RtspMessageCase(Path.GetFileNameWithoutExtension(file), TestFiles.Read(file), true));
            }
        }

        cases.Add(Text("hikvision-401-digest-and-basic", false, // "Date:  " with two spaces, as these cameras send
            "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n" +
            "WWW-Authenticate: Digest realm=\"IP Camera(C1234)\", nonce=\"7b3d9c0e5a4f1d2e8c6b0a9f3e2d1c4b\", stale=\"FALSE\"\r\n" +
            "WWW-Authenticate: Basic realm=\"IP Camera(C1234)\"\r\nDate:  Sat, Nov 21 2026 10:00:00 GMT\r\n\r\n"));
        cases.Add(Text("hikvision-describe-h264-pcmu", true, WithBody(
            "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\n" +
            "Content-Base: rtsp://192.168.1.64:554/Streaming/Channels/101/\r\n",
            "v=0\r\no=- 1109162014219182 1109162014219182 IN IP4 0.0.0.0\r\ns=Media Presentation\r\ne=NONE\r\nb=AS:5050\r\n" +
            "t=0 0\r\na=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast\r\n" +
            "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:5000\r\na=recvonly\r\na=x-dimensions:1920,1080\r\n" +
            "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast\r\n" +
            "a=rtpmap:96 H264/90000\r\n" +
            "a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z01AKI2NQDwBE/LCAAAOEAACvyAI,aO44gA==\r\n" +
            "m=audio 0 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\nb=AS:50\r\na=recvonly\r\n" +
            "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast\r\n" +
            "a=rtpmap:0 PCMU/8000\r\na=Media_header:MEDIAINFO=494D4B48010200000400000110710110401F000000FA000000000000000000000000000000000000;\r\n" +
            "a=appversion:1.0\r\n")));
        cases.Add(Text("hikvision-setup-udp", false,
            "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 1273222592;timeout=60\r\n" +
            "Transport: RTP/AVP;unicast;client_port=53904-53905;server_port=8220-8221;ssrc=6ef4ed63;mode=\"play\"\r\n" +
            "Date:  Sat, Nov 21 2026 10:00:00 GMT\r\n\r\n"));
        cases.Add(Text("dahua-401-digest", true,
            "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n" +
            "WWW-Authenticate: Digest realm=\"Login to 4L02B4APAZ00001\", nonce=\"c0e2a5d4b5a6f8e9d0c1b2a3\"\r\n\r\n"));
        cases.Add(Text("dahua-describe-h265-pcma", true, WithBody(
            "RTSP/1.0 200 OK\r\nCSeq: 3\r\nx-Accept-Dynamic-Rate: 1\r\n" +
            "Content-Base: rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=0/\r\n" +
            "Cache-Control: must-revalidate\r\nContent-Type: application/sdp\r\n",
            "v=0\r\no=- 2251938202 2251938202 IN IP4 0.0.0.0\r\ns=Media Server\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n" +
            "a=control:*\r\na=packetization-supported:DH\r\na=rtppayload-supported:DH\r\na=range:npt=now-\r\n" +
            "m=video 0 RTP/AVP 98\r\na=control:trackID=0\r\na=framerate:25.000000\r\na=rtpmap:98 H265/90000\r\n" +
            "a=fmtp:98 profile-id=1;sprop-sps=QgEBAWAAAAMAsAAAAwAAAwB7oAPAgBDlja5JMvTcBAQEAg==;" +
            "sprop-pps=RAHA8vA8kAA=;sprop-vps=QAEMAf//AWAAAAMAsAAAAwAAAwB7rAk=\r\na=recvonly\r\n" +
            "m=audio 0 RTP/AVP 8\r\na=control:trackID=1\r\na=rtpmap:8 PCMA/8000\r\na=recvonly\r\n" +
            "m=application 0 RTP/AVP 107\r\na=control:trackID=4\r\na=rtpmap:107 vnd.onvif.metadata/90000\r\na=recvonly\r\n")));
        cases.Add(Text("dahua-setup-tcp", true,
            "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 3446137611;timeout=60\r\n" +
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=7B2C9A10\r\nx-Dynamic-Rate: 1\r\n\r\n"));
        cases.Add(Text("axis-options", true,
            "RTSP/1.0 200 OK\r\nCSeq: 1\r\n" +
            "Public: OPTIONS, DESCRIBE, ANNOUNCE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN\r\n" +
            "Server: GStreamer RTSP server\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\n\r\n"));
        cases.Add(Text("axis-describe-h264-aac", true, WithBody(
            "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n" +
            "Content-Base: rtsp://192.168.0.90/axis-media/media.amp/\r\nServer: GStreamer RTSP server\r\n",
            "v=0\r\no=- 1430183497817339426 1 IN IP4 192.168.0.90\r\ns=Session streamed with GStreamer\r\ni=rtsp-server\r\n" +
            "t=0 0\r\na=tool:GStreamer\r\na=type:broadcast\r\na=range:npt=now-\r\na=control:rtsp://192.168.0.90/axis-media/media.amp?audio=1\r\n" +
            "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:50000\r\na=rtpmap:96 H264/90000\r\n" +
            "a=fmtp:96 packetization-mode=1;profile-level-id=4d0029;sprop-parameter-sets=Z00AKeKQDwBE/LgLcBAQGkHiRFQ=,aO48gA==\r\n" +
            "a=control:rtsp://192.168.0.90/axis-media/media.amp/stream=0?audio=1\r\na=framerate:30.000000\r\n" +
            "a=transform:1.000000,0.000000,0.000000;0.000000,1.000000,0.000000;0.000000,0.000000,1.000000\r\n" +
            "m=audio 0 RTP/AVP 97\r\nc=IN IP4 0.0.0.0\r\nb=AS:32\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\n" +
            "a=fmtp:97 streamtype=5; profile-level-id=15; mode=AAC-hbr; config=1408; SizeLength=13; IndexLength=3; IndexDeltaLength=3; Profile=1; bitrate=32000;\r\n" +
            "a=control:rtsp://192.168.0.90/axis-media/media.amp/stream=1?audio=1\r\n")));
        cases.Add(Text("axis-setup-tcp", true,
            "RTSP/1.0 200 OK\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=5D1A6B2C;mode=\"PLAY\"\r\n" +
            "Server: GStreamer RTSP server\r\nSession: 5nBPj0WyvJyqhGXL; timeout=60\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\n\r\n"));
        cases.Add(Text("reolink-describe-h264-aac", true, WithBody(
            "RTSP/1.0 200 OK\r\nCSeq: 3\r\nDate: Sat, Nov 21 2026 10:00:00 GMT\r\n" +
            "Content-Base: rtsp://192.168.1.20/h264Preview_01_main/\r\nContent-Type: application/sdp\r\n",
            "v=0\r\no=- 1700000000000000 1 IN IP4 192.168.1.20\r\ns=Session streamed by \"preview\"\r\ni=h264Preview_01_main\r\n" +
            "t=0 0\r\na=tool:LIVE555 Streaming Media v2013.04.08\r\na=type:broadcast\r\na=control:*\r\na=range:npt=0-\r\n" +
            "a=x-qt-text-nam:Session streamed by \"preview\"\r\na=x-qt-text-inf:h264Preview_01_main\r\n" +
            "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:8192\r\na=rtpmap:96 H264/90000\r\n" +
            "a=fmtp:96 packetization-mode=1;profile-level-id=640033;sprop-parameter-sets=Z2QAM6wVFKAoAPGQ,aO48sA==\r\n" +
            "a=control:trackID=1\r\nm=audio 0 RTP/AVP 97\r\nc=IN IP4 0.0.0.0\r\nb=AS:256\r\n" +
            "a=rtpmap:97 MPEG4-GENERIC/16000\r\n" +
            "a=fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1408\r\n" +
            "a=control:trackID=2\r\n")));
        cases.Add(Text("live555-play", true,
            "RTSP/1.0 200 OK\r\nCSeq: 5\r\nDate: Sat, Nov 21 2026 10:00:00 GMT\r\nRange: npt=0.000-\r\nSession: 2A4B6C8D\r\n" +
            "RTP-Info: url=rtsp://192.168.1.20/h264Preview_01_main/trackID=1;seq=11311;rtptime=2406207213," +
            "url=rtsp://192.168.1.20/h264Preview_01_main/trackID=2;seq=45610;rtptime=1230016771\r\n\r\n"));
        cases.Add(Text("no-reason-phrase", true, "RTSP/1.0 200\r\nCSeq: 9\r\n\r\n"));
        cases.Add(Text("bare-lf-line-ends", false, "RTSP/1.0 200 OK\nCSeq: 7\nSession: 12345\n\n"));
        cases.Add(Text("folded-header", false, "RTSP/1.0 200 OK\r\nCSeq: 8\r\nPublic: OPTIONS, DESCRIBE,\r\n SETUP, PLAY\r\n\r\n"));
        cases.Add(Text("server-get-parameter-request", true, "GET_PARAMETER rtsp://10.0.0.1/live RTSP/1.0\r\nCSeq: 1\r\nSession: 77\r\n\r\n"));
        cases.Add(Text("client-describe-request", true,
            "DESCRIBE rtsp://192.168.1.64:554/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n" +
            "Authorization: Digest username=\"admin\", realm=\"IP Camera(C1234)\", nonce=\"7b3d9c0e\", " +
            "uri=\"rtsp://192.168.1.64:554/Streaming/Channels/101\", response=\"0123456789abcdef0123456789abcdef\"\r\n\r\n"));
        cases.Add(new RtspMessageCase("interleaved-rtp", [(byte)'$', 0, 0, 14, 0x80, 0x60, 0x12, 0x34, 0, 0, 0, 1, 0xDE, 0xAD, 0xBE, 0xEF, 0x65, 0x88], true));
        cases.Add(new RtspMessageCase("interleaved-rtcp-empty", [(byte)'$', 3, 0, 0], true));
        return cases;
    }

    private static string WithBody(string head, string body) =>
        head + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n" + body;

    private static RtspMessageCase Text(string name, bool canonical, string text) =>
        new(name, Encoding.UTF8.GetBytes(text), canonical);
}
