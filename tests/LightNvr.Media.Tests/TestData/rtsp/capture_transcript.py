#!/usr/bin/python3
"""Capture an RTSP transcript (OPTIONS, DESCRIBE, SETUP per track over TCP, PLAY + some interleaved bytes)
from a camera on 127.0.0.1. Usage: capture_transcript.py PORT PATH OUT_PREFIX [auth]. With "auth" it stops
after DESCRIBE (for 401 challenges). Each exchange is written as OUT-NN-method.txt (request, ---, response);
the .request.bin/.response.bin files in this folder were split from those at the "---" line."""
import socket, sys, re, time
port, path, out, auth = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv)>4 else ""
s = socket.create_connection(("127.0.0.1", port))
buf = b""
def recv_response():
    global buf
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, rest = buf.split(b"\r\n\r\n", 1)
    m = re.search(rb"Content-Length: *(\d+)", head, re.I)
    n = int(m.group(1)) if m else 0
    while len(rest) < n:
        rest += s.recv(65536)
    msg = head + b"\r\n\r\n" + rest[:n]
    buf = rest[n:]
    return msg
url = f"rtsp://127.0.0.1:{port}/{path}"
cseq = [0]
def req(method, u, extra=""):
    cseq[0] += 1
    r = f"{method} {u} RTSP/1.0\r\nCSeq: {cseq[0]}\r\nUser-Agent: LightNVR-capture\r\n{extra}\r\n".encode()
    s.sendall(r)
    resp = recv_response()
    open(f"{out}-{cseq[0]:02d}-{method.lower()}.txt", "wb").write(r + b"---\n" + resp)
    return resp
req("OPTIONS", url)
d = req("DESCRIBE", url, "Accept: application/sdp\r\n")
if auth:
    sys.exit(0)
base = re.search(rb"Content-Base: *(\S+)", d).group(1).decode()
ctrls = re.findall(rb"a=control:(\S+)", d.split(b"\r\n\r\n",1)[1].split(b"m=",1)[1])
sess = None
for i, c in enumerate(ctrls):
    c = c.decode()
    u = c if c.startswith("rtsp://") else base.rstrip("/") + "/" + c
    extra = f"Transport: RTP/AVP/TCP;unicast;interleaved={2*i}-{2*i+1}\r\n" + (f"Session: {sess}\r\n" if sess else "")
    r = req("SETUP", u, extra)
    sess = sess or re.search(rb"Session: *([^;\r]+)", r).group(1).decode()
cseq[0] += 1
s.sendall(f"PLAY {base} RTSP/1.0\r\nCSeq: {cseq[0]}\r\nSession: {sess}\r\nRange: npt=0.000-\r\n\r\n".encode())
time.sleep(1.0)
data = buf
s.settimeout(0.5)
try:
    while len(data) < 200000:
        data += s.recv(65536)
except Exception: pass
open(f"{out}-play-stream.bin", "wb").write(data[:20000])
