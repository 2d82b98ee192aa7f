#!/usr/bin/python3
"""Capture a camera's RTP exactly as sent, for depacketizer tests.

A minimal RTSP client (RFC 2326: DESCRIBE, SETUP with TCP interleaving, PLAY) that saves the SDP and the raw
interleaved stream ("$" channel length packet, RFC 2326 §10.12) for a number of seconds.

  capture_rtsp.py rtsp://127.0.0.1:8600/cam 3 out   # writes out.sdp and out.rtp
"""
import re
import socket
import sys
import time


def request(sock, method, url, cseq, extra=""):
    sock.sendall(f"{method} {url} RTSP/1.0\r\nCSeq: {cseq}\r\n{extra}\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(1)
    head = data.decode()
    m = re.search(r"Content-Length:\s*(\d+)", head, re.I)
    body = b""
    if m:
        n = int(m.group(1))
        while len(body) < n:
            body += sock.recv(n - len(body))
    return head, body.decode()


def main():
    url, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    host, port = re.match(r"rtsp://([^:/]+):(\d+)", url).groups()
    sock = socket.create_connection((host, int(port)))
    _, sdp = request(sock, "DESCRIBE", url, 1, "Accept: application/sdp\r\n")
    open(out + ".sdp", "w").write(sdp)
    controls = re.findall(r"a=control:(\S+)", sdp.split("m=", 1)[1])
    session = None
    for i, control in enumerate(controls):
        track_url = control if control.startswith("rtsp://") else url.rstrip("/") + "/" + control
        extra = f"Transport: RTP/AVP/TCP;unicast;interleaved={2 * i}-{2 * i + 1}\r\n"
        if session:
            extra += f"Session: {session}\r\n"
        head, _ = request(sock, "SETUP", track_url, 2 + i, extra)
        session = re.search(r"Session:\s*([^;\r]+)", head).group(1)
    request(sock, "PLAY", url, 10, f"Session: {session}\r\nRange: npt=0-\r\n")
    end = time.time() + seconds
    with open(out + ".rtp", "wb") as f:
        while time.time() < end:
            f.write(sock.recv(65536))
    sock.close()


if __name__ == "__main__":
    main()
