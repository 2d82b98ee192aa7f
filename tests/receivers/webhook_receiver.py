#!/usr/bin/env python3
"""A webhook receiver that checks LightNVR's signature exactly as docs/webhooks.md tells receivers to.

Usage: webhook_receiver.py PORT SECRET [FAIL_FIRST]
Answers 503 to the first FAIL_FIRST requests (default 0), then 204 to a verified request and 401 to any other.
Prints one JSON line per request: verified, the event and delivery headers, the timestamp and the body.
An independent implementation (Python's hmac, not the server's code): used by the interop tests.
"""
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT = int(sys.argv[1])
SECRET = sys.argv[2].encode()
FAIL_FIRST = int(sys.argv[3]) if len(sys.argv) > 3 else 0
MAX_SKEW = 300  # seconds: reject anything older or newer (replay protection)
count = 0


def verify(timestamp, signature, body):
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW:
        return False
    expected = "sha256=" + hmac.new(SECRET, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        count += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        timestamp = self.headers.get("X-LightNVR-Timestamp", "")
        ok = verify(timestamp, self.headers.get("X-LightNVR-Signature", ""), body)
        print(json.dumps({"n": count, "verified": ok, "event": self.headers.get("X-LightNVR-Event"),
                          "delivery": self.headers.get("X-LightNVR-Delivery"), "timestamp": timestamp,
                          "body": body.decode()}), flush=True)
        self.send_response(503 if count <= FAIL_FIRST else 204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


print("listening", flush=True)
HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
