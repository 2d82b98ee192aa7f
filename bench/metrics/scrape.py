#!/usr/bin/env python3
"""bench/metrics/run.sh's measuring half: scrape a running server and report latency and CPU per scrape.

Args: PID PORT TOKEN SCRAPES CAMERAS [PATH] (PATH default /api/metrics; /api/health gives a comparison).
"""
import http.client, os, statistics, sys, time

pid, port, token, scrapes, cameras = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
path = sys.argv[6] if len(sys.argv) > 6 else "/api/metrics"
TICKS = os.sysconf("SC_CLK_TCK")
HEADERS = {"Authorization": "Bearer " + token}


def cpu_seconds():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024


conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def scrape():
    conn.request("GET", path, headers=HEADERS)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"scrape answered {r.status}: {body[:200]!r}")
    return body


rss_before = rss_mb()
body = scrape()
time.sleep(2)
rss_after_first = rss_mb()
series = sum(1 for l in body.split(b"\n") if l and not l.startswith(b"#"))
stream_series = body.count(b'stream="cam')

c0, t0 = cpu_seconds(), time.monotonic()
time.sleep(10)
baseline = (cpu_seconds() - c0) / (time.monotonic() - t0)  # CPU seconds per second without scrapes

lat = []
c0, t0 = cpu_seconds(), time.monotonic()
for _ in range(scrapes):
    s = time.perf_counter()
    scrape()
    lat.append((time.perf_counter() - s) * 1000)
wall = time.monotonic() - t0
cpu = cpu_seconds() - c0 - baseline * wall
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(f"{path}: cameras {cameras}, {scrapes} scrapes, {len(body)} bytes and {series} series per scrape ({stream_series} per-stream)")
print(f"latency ms: p50 {q(0.5):.2f}  p90 {q(0.9):.2f}  p99 {q(0.99):.2f}  max {lat[-1]:.2f}  mean {statistics.mean(lat):.2f}")
print(f"server CPU per scrape: {1000 * cpu / scrapes:.2f} ms (baseline {100 * baseline:.1f} % of a core recording)")
print(f"RSS MB: {rss_before:.1f} before the first scrape, {rss_after_first:.1f} after it, {rss_mb():.1f} after all")
