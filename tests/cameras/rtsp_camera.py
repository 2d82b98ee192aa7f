#!/usr/bin/python3
"""A real RTSP camera for tests and benchmarks: GStreamer's RTSP server with a live test picture.

Prints "READY rtsp://127.0.0.1:PORT/PATH" on stdout once it listens, then serves until killed.
Run with Debian's /usr/bin/python3 (it needs python3-gi and gir1.2-gst-rtsp-server-1.0).

Examples:
  rtsp_camera.py --port 8600                                  # H.264 720p25 + AAC, GOP 1 s, no auth
  rtsp_camera.py --port 8601 --video h265 --audio pcmu --auth digest --user cam --password secret
  rtsp_camera.py --port 8602 --bframes 2 --gop 100            # H.264 with B-frames, 4 s GOP
  rtsp_camera.py --port 8603 --image photo.png --width 512 --height 512   # a still photograph as a live camera
  rtsp_camera.py --port 8604 --tls-cert cam.pem --tls-key cam.key        # RTSP over TLS: rtsps://127.0.0.1:8604/cam
  rtsp_camera.py --port 8605 --audio pcmu --backchannel pcmu --backchannel-wav talk.wav  # ONVIF two-way audio

--backchannel: an ONVIF backchannel (RTSPOnvifServer + RTSPOnvifMediaFactory, as gst-rtsp-server's
examples/test-onvif-backchannel.c): a client whose DESCRIBE carries "Require: www.onvif.org/ver20/backchannel" sees an
extra a=sendonly audio track; what it sends there is decoded and written to --backchannel-wav (16-bit PCM).
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def launch_line(a):
    video = (
        f"videotestsrc is-live=true pattern={a.pattern} ! "
        f"video/x-raw,width={a.width},height={a.height},framerate={a.fps}/1 ! "
    )
    if a.image:
        # A photograph (any format decodebin reads) scaled to width x height (stretched: pick the photo's aspect),
        # repeated as a live stream at fps: what object detection tests point a camera at.
        video = (
            f"filesrc location={a.image} ! decodebin ! videoconvert ! videoscale ! "
            f"video/x-raw,format=I420,width={a.width},height={a.height} ! imagefreeze is-live=true ! "
            f"video/x-raw,framerate={a.fps}/1 ! "
        )
    if a.video == "h264":
        profile = "main" if a.bframes > 0 else a.profile
        video += (
            f"x264enc tune={'zerolatency' if a.bframes == 0 else 'fastdecode'} speed-preset=ultrafast "
            f"key-int-max={a.gop} bframes={a.bframes} bitrate={a.bitrate} ! "
            f"video/x-h264,profile={profile} ! rtph264pay name=pay0 pt=96 config-interval={a.config_interval}"
        )
    else:
        video += (
            f"x265enc tune=zerolatency speed-preset=ultrafast key-int-max={a.gop} bitrate={a.bitrate} ! "
            f"rtph265pay name=pay0 pt=96 config-interval={a.config_interval}"
        )
    audio = ""
    src = f"audiotestsrc is-live=true wave=sine freq=440 volume=0.2 ! audio/x-raw,rate={a.rate},channels=1 ! "
    if a.audio == "aac":
        audio = src + "voaacenc bitrate=64000 ! rtpmp4gpay name=pay1 pt=97"
    elif a.audio == "pcmu":
        audio = src.replace(f"rate={a.rate}", "rate=8000") + "mulawenc ! rtppcmupay name=pay1 pt=0"
    elif a.audio == "pcma":
        audio = src.replace(f"rate={a.rate}", "rate=8000") + "alawenc ! rtppcmapay name=pay1 pt=8"
    return f"( {video} {audio} )"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8600)
    p.add_argument("--path", default="cam")
    p.add_argument("--video", choices=["h264", "h265"], default="h264")
    p.add_argument("--audio", choices=["aac", "pcmu", "pcma", "none"], default="aac")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=720)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--gop", type=int, default=25, help="keyframe interval in frames")
    p.add_argument("--bframes", type=int, default=0)
    p.add_argument("--profile", default="high", help="H.264 profile when there are no B-frames")
    p.add_argument("--bitrate", type=int, default=1024, help="kbit/s")
    p.add_argument("--rate", type=int, default=16000, help="AAC sample rate")
    p.add_argument("--pattern", default="ball")
    p.add_argument("--image", default="", help="a still picture file to show instead of the test pattern")
    p.add_argument("--config-interval", type=int, default=1, help="in-band SPS/PPS every N s (-1 = every IDR)")
    p.add_argument("--auth", choices=["none", "basic", "digest"], default="none")
    p.add_argument("--user", default="admin")
    p.add_argument("--password", default="secret")
    p.add_argument("--transports", default="tcp,udp", help="comma list of tcp, udp")
    p.add_argument("--tls-cert", default="", help="PEM certificate: serve RTSP over TLS (rtsps://) only")
    p.add_argument("--tls-key", default="", help="PEM private key of --tls-cert")
    p.add_argument("--backchannel", choices=["none", "pcmu", "pcma"], default="none", help="ONVIF backchannel codec")
    p.add_argument("--backchannel-wav", default="", help="where the backchannel audio is written (WAV)")
    a = p.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPOnvifServer() if a.backchannel != "none" else GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))

    if a.backchannel != "none":
        factory = GstRtspServer.RTSPOnvifMediaFactory.new()
        pt, name, dec = (0, "PCMU", "rtppcmudepay ! mulawdec") if a.backchannel == "pcmu" else (8, "PCMA", "rtppcmadepay ! alawdec")
        sink = f"wavenc ! filesink async=false buffer-mode=unbuffered location={a.backchannel_wav}" if a.backchannel_wav else "fakesink async=false"
        factory.set_backchannel_launch(
            f'( capsfilter caps="application/x-rtp, media=audio, payload={pt}, clock-rate=8000, encoding-name={name}" '
            f"name=depay_backchannel ! {dec} ! audioconvert ! {sink} )")
        # Without the ONVIF media type the factory constructs no media (DESCRIBE answers 400).
        factory.set_media_gtype(GstRtspServer.RTSPOnvifMedia.__gtype__)
    else:
        factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(a))
    factory.set_shared(a.backchannel == "none")  # one pipeline for every client, like a real camera (a backchannel is per client)
    protocols = GstRtsp.RTSPLowerTrans(0)
    for t in a.transports.split(","):
        protocols |= {"tcp": GstRtsp.RTSPLowerTrans.TCP, "udp": GstRtsp.RTSPLowerTrans.UDP}[t.strip()]
    factory.set_protocols(protocols)

    if a.auth != "none" or a.tls_cert:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        if a.auth == "basic":
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), token)
        elif a.auth == "digest":
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(a.user, a.password, token)
        else:
            auth.set_default_token(token)  # TLS without credentials: everyone is "user"
        if a.tls_cert:
            # With a certificate on its auth, the server speaks TLS on every connection (gst-rtsp-server's
            # examples/test-video.c, WITH_TLS).
            auth.set_tls_certificate(Gio.TlsCertificate.new_from_files(a.tls_cert, a.tls_key))
        server.set_auth(auth)
        perms = GstRtspServer.RTSPPermissions()
        perms.add_role_from_structure(Gst.Structure.new_from_string(
            "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))
        factory.set_permissions(perms)

    server.get_mount_points().add_factory("/" + a.path, factory)
    if server.attach(None) == 0:
        print(f"ERROR cannot listen on 127.0.0.1:{a.port}", flush=True)
        sys.exit(1)
    print(f"READY {'rtsps' if a.tls_cert else 'rtsp'}://127.0.0.1:{a.port}/{a.path}", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
