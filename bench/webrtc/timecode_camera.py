#!/usr/bin/python3
"""An RTSP camera whose picture carries the wall clock: the glass-to-glass benchmark's source.

Each frame (640x360 I420, 15 fps) is drawn when it is captured with the current Unix time in milliseconds modulo 2^32
as 32 black/white 40x40-pixel squares in the top two rows (bit 31 first, white = 1), then H.264-encoded
(x264 zerolatency, GOP --gop frames) and served by GStreamer's RTSP server like tests/cameras/rtsp_camera.py.
A browser on the same machine reads the squares back from each rendered frame (canvas) and subtracts the time it
shows from Date.now(): capture → encode → RTSP → LightNVR → browser → decode → paint.
(clockoverlay/timeoverlay would do this too, but they need pango, which is not installed here.)

Prints "READY rtsp://127.0.0.1:PORT/cam" once it listens. Run with Debian's /usr/bin/python3.
"""
import argparse
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

W, H, BLOCK, BITS = 640, 360, 40, 32
PER_ROW = W // BLOCK  # 16 squares per row, two rows


def frame(ms, tick):
    """One I420 frame showing ms (32 bits) in squares, plus a moving bar below so the encoder has motion."""
    bits = [(ms >> (BITS - 1 - i)) & 1 for i in range(BITS)]
    rows = []
    for r in range(BITS // PER_ROW):
        line = b"".join((b"\xeb" if bits[r * PER_ROW + i] else b"\x10") * BLOCK for i in range(PER_ROW))
        rows.append(line * BLOCK)
    rest_h = H - BLOCK * (BITS // PER_ROW)
    bar = (tick * 8) % W
    line = b"\x80" * bar + b"\xeb" * min(16, W - bar) + b"\x80" * max(0, W - bar - 16)
    y = b"".join(rows) + line * rest_h
    return y + b"\x80" * (W * H // 2)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8600)
    p.add_argument("--fps", type=int, default=15)
    p.add_argument("--gop", type=int, default=60, help="keyframe interval in frames (60 = 4 s at 15 fps)")
    p.add_argument("--bitrate", type=int, default=600, help="kbit/s")
    p.add_argument("--audio", choices=["pcmu", "none"], default="pcmu")
    a = p.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))
    audio = ("audiotestsrc is-live=true wave=sine freq=440 volume=0.2 ! audio/x-raw,rate=8000,channels=1 ! "
             "mulawenc ! rtppcmupay name=pay1 pt=0") if a.audio == "pcmu" else ""
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( appsrc name=src is-live=true format=time do-timestamp=true stream-type=seekable "
        f"caps=video/x-raw,format=I420,width={W},height={H},framerate={a.fps}/1 ! "
        f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={a.gop} bitrate={a.bitrate} ! "
        f"video/x-h264,profile=high ! rtph264pay name=pay0 pt=96 config-interval=1 {audio} )")
    factory.set_shared(True)

    def configure(_factory, media):
        src = media.get_element().get_by_name("src")
        stop = threading.Event()
        media.connect("unprepared", lambda *_: stop.set())

        def pump():
            period, tick, nxt = 1.0 / a.fps, 0, time.monotonic()
            while not stop.is_set():
                ms = int(time.time() * 1000) % (1 << BITS)
                src.emit("push-buffer", Gst.Buffer.new_wrapped(frame(ms, tick)))  # FLUSHING before PLAY: dropped
                tick += 1
                nxt += period
                time.sleep(max(0.0, nxt - time.monotonic()))

        started = []

        def need_data(*_):
            if not started:  # first request: the pipeline is PLAYING and has a clock (do-timestamp works)
                started.append(True)
                threading.Thread(target=pump, daemon=True).start()

        src.connect("need-data", need_data)
        src.connect("seek-data", lambda *_: True)  # RTSP PLAY seeks to its Range; a live picture just goes on

    factory.connect("media-configure", configure)
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        print(f"ERROR cannot listen on 127.0.0.1:{a.port}", flush=True)
        sys.exit(1)
    print(f"READY rtsp://127.0.0.1:{a.port}/cam", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
