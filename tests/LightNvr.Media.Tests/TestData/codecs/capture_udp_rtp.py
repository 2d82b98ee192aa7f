#!/usr/bin/python3
"""Capture RTP sent to a local UDP port (e.g. by `ffmpeg -f rtp`) in the same "$" framing capture_rtsp.py writes.

  capture_udp_rtp.py 18800 4 out.rtp     # listen on 127.0.0.1:18800 for 4 s; every datagram becomes channel 0
"""
import socket
import struct
import sys
import time


def main():
    port, seconds, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(("127.0.0.1", port))
    sock.settimeout(0.2)
    end = time.time() + seconds
    with open(out, "wb") as f:
        while time.time() < end:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            f.write(b"$\x00" + struct.pack(">H", len(data)) + data)


if __name__ == "__main__":
    main()
