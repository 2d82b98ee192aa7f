#!/usr/bin/env python3
"""The soak's verdict (bench/soak/run.sh calls it with the run folder and the run's counters).

Reads RUN/samples.csv, viewers.json, api.json, decode.txt, lightnvr.log, server.out and lightnvr.db; prints the
figures and one line per check, and exits 1 when a check fails. Flatness: the median of the first FLAT_WINDOW samples
at or after the warm-up against the median of the last FLAT_WINDOW samples (medians, so one sample taken while a
camera flaps or a viewer reconnects does not decide), fds and sockets without the web port's client connections.
"""
import collections
import json
import os
import re
import sqlite3
import statistics
import sys
import time

# Samples per median: 4 samples of 30 s = 2 minutes, longer than one flap (20 s down + reconnect) and one viewer stay.
FLAT_WINDOW = 4
# A row's size may differ from its file only while it is open; after SIGTERM every row must match exactly.
LOG_LINE = re.compile(r"^\[[0-9-]+ [0-9:]+\] \[(ERROR|WARN|INFO|DEBUG)\] ([^:]+): (.*)$")

run, warmup, tolerance, minutes, cameras, viewers, api_rate, flaps, flap_fails, sweeps, sweep_fails, stop, srv_rc = \
    sys.argv[1:14]
warmup, tolerance = int(warmup), float(tolerance)
checks = []


def check(ok, text):
    checks.append((ok, text))


def read_json(name):
    try:
        with open(os.path.join(run, name)) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError) as e:
        return {"missing": f"{name}: {e}"}


# --- samples ---------------------------------------------------------------------------------------------------------
with open(os.path.join(run, "samples.csv")) as f:
    head = f.readline().strip().split(",")
    rows = [dict(zip(head, map(float, line.strip().split(",")))) for line in f if line.strip()]
for r in rows:
    r["fds_net"] = r["fds"] - r["web_clients"]
    r["sockets_net"] = r["sockets"] - r["web_clients"]
after = [r for r in rows if r["elapsed_s"] >= warmup]
window = max(1, min(FLAT_WINDOW, len(after) // 2))  # a short run (make soak SOAK_MINUTES=5) has fewer samples
first, last = after[:window], after[-window:]
print(f"soak: {minutes} min, {cameras} cameras, {viewers} viewers churning, API {api_rate} req/s, "
      f"{len(rows)} samples (warm-up {warmup} s)")
if len(after) < 4:
    check(False, f"too few samples after the warm-up ({len(after)}) to judge flatness; run longer")
else:
    print(f"{'':14}{'start':>10}{'end':>10}{'change':>9}{'min':>10}{'max':>10}   (start/end: medians of {window} samples)")
    for key, unit, div, asserted in [("rss_kb", "RSS MB", 1024, True), ("fds_net", "fds", 1, True),
                                     ("sockets_net", "sockets", 1, True), ("threads", "threads", 1, False),
                                     ("web_clients", "web clients", 1, False)]:
        a = statistics.median(r[key] for r in first) / div
        b = statistics.median(r[key] for r in last) / div
        lo = min(r[key] for r in after) / div
        hi = max(r[key] for r in after) / div
        change = 100.0 * (b - a) / a if a else 0.0
        print(f"{unit:14}{a:10.1f}{b:10.1f}{change:+8.1f}%{lo:10.1f}{hi:10.1f}")
        if asserted:
            check(abs(change) <= tolerance, f"{unit} flat within ±{tolerance:g} %: {a:.1f} -> {b:.1f} ({change:+.1f} %)")
    rss_all = [r["rss_kb"] / 1024 for r in rows]
    print(f"RSS over the whole run: first sample {rss_all[0]:.1f} MB, max {max(rss_all):.1f} MB")
    wall = rows[-1]["elapsed_s"] - after[0]["elapsed_s"]
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = 100.0 * (rows[-1]["cpu_ticks"] - after[0]["cpu_ticks"]) / ticks / wall if wall else 0.0
    loads = [r["load1"] for r in rows]
    print(f"server CPU after warm-up: {cpu:.1f} % of one core; load average (1 min) {min(loads):.1f}-{max(loads):.1f} "
          f"on {os.cpu_count()} cores")

# --- load generators -------------------------------------------------------------------------------------------------
v = read_json("viewers.json")
print(f"viewers: {json.dumps(v)}")
if "missing" in v:
    check(False, v["missing"])
else:
    check(v["failed"] == 0, f"viewer joins with media: {v['good']} of {v['joins']} "
          f"({v['mse']} MSE, {v['mp4']} stream.mp4; {v['duringFlap']} during a flap, not judged; {v['failed']} failed)")
a = read_json("api.json")
print(f"api: {json.dumps(a)}")
if "missing" in a:
    check(False, a["missing"])
else:
    check(a["errors"] == 0, f"API requests: {a['requests']}, errors {a['errors']}, "
          f"latency p50 {a['all']['p50']} ms, p99 {a['all']['p99']} ms, max {a['all']['max']} ms")
check(int(flap_fails) == 0, f"camera flaps: {flaps} (odd: process killed and restarted, even: stream disabled and "
      f"enabled), {flap_fails} API failures")
check(int(sweep_fails) == 0, f"retention sweeps requested: {sweeps}, {sweep_fails} failed")

# --- log -------------------------------------------------------------------------------------------------------------
with open(os.path.join(run, "sigterm.txt")) as f:
    sigterm = f.read().strip()  # "YYYY-MM-DD HH:MM:SS", the log's own format: lines at or after it are shutdown
levels, warns, errors, shutdown_errors, other = collections.Counter(), collections.Counter(), [], [], []
with open(os.path.join(run, "lightnvr.log"), errors="replace") as f:
    for line in f:
        m = LOG_LINE.match(line.rstrip("\n"))
        if not m:
            other.append(line.rstrip())
            continue
        levels[m.group(1)] += 1
        if m.group(1) == "ERROR":
            (shutdown_errors if line[1:20] >= sigterm else errors).append(line.rstrip())
        elif m.group(1) == "WARN":
            warns[m.group(2) + ": " + re.sub(r"\d+", "N", m.group(3))[:110]] += 1
print(f"log lines by level: {dict(levels)}")
for text, n in warns.most_common(12):
    print(f"  WARN x{n}: {text}")
for line in (errors + shutdown_errors)[:10]:
    print(f"  {line[:300]}")
check(not errors, f"ERROR lines in the log during the soak: {len(errors)}")
check(not shutdown_errors, f"ERROR lines in the log during shutdown (SIGTERM at {sigterm}): {len(shutdown_errors)}")
check(not other, f"log lines not in the log format (stack traces, crashes): {len(other)}"
      + (f", first: {other[0][:200]}" if other else ""))
with open(os.path.join(run, "server.out"), errors="replace") as f:
    stray = [line.rstrip() for line in f if line.strip() and not LOG_LINE.match(line.rstrip("\n"))]
check(not stray, f"server stdout/stderr lines that are not log lines: {len(stray)}"
      + (f", first: {stray[0][:200]}" if stray else ""))
check(stop.startswith("clean") and srv_rc == "0", f"server stop on SIGTERM: {stop}, exit code {srv_rc}")

# --- segments and rows -----------------------------------------------------------------------------------------------
with open(os.path.join(run, "decode.txt")) as f:
    results = [line.split(" ", 1) for line in f.read().splitlines()]
bad = [p for s, p in results if s != "ok"]
check(results and not bad, f"segments decoded: {len(results) - len(bad)} of {len(results)} clean"
      + (f"; bad: {', '.join(os.path.basename(p) for p in bad[:5])} (errors in decode/)" if bad else ""))
db = sqlite3.connect(f"file:{os.path.join(run, 'lightnvr.db')}?mode=ro", uri=True)
recs = db.execute("SELECT id, stream_name, file_path, size_bytes, is_complete, deleting FROM recordings").fetchall()
max_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM recordings").fetchone()[0]
seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'recordings'").fetchone() if db.execute(
    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() else None
created = max(max_id, seq[0] if seq else 0)
mp4_root = os.path.join(run, "mp4")
files = {os.path.realpath(p) for _, p in results}
problems, seen = [], set()
for rid, stream, path, size, complete, deleting in recs:
    full = os.path.realpath(path if os.path.isabs(path) else os.path.join(mp4_root, path))
    seen.add(full)
    if not complete or deleting:
        problems.append(f"row {rid} ({stream}) complete={complete} deleting={deleting}")
    elif not os.path.exists(full):
        problems.append(f"row {rid} ({stream}) has no file {path}")
    elif os.path.getsize(full) != size:
        problems.append(f"row {rid} ({stream}) size {size} != file {os.path.getsize(full)}")
orphans = sorted(files - seen)
check(not problems, f"rows: {len(recs)} left of {created} created ({created - len(recs)} deleted by retention), "
      f"{len(problems)} incomplete/missing/size-mismatched" + (f": {'; '.join(problems[:5])}" if problems else ""))
check(not orphans, f"files without a row: {len(orphans)}" + (f": {', '.join(orphans[:5])}" if orphans else ""))
per_stream = db.execute("SELECT stream_name, COUNT(*), SUM(size_bytes) FROM recordings GROUP BY stream_name "
                        "ORDER BY CAST(SUBSTR(stream_name, 4) AS INTEGER)").fetchall()
print("per stream at the end (rows, MiB): " + ", ".join(f"{s} {n}/{(b or 0) / 2**20:.1f}" for s, n, b in per_stream))
# Every camera, flapped ones included, must still be recording at the end: a segment started within two segment
# lengths (plus slack for the keyframe wait) before SIGTERM.
segment = int(os.environ.get("SEGMENT", "30"))
stop_epoch = time.mktime(time.strptime(sigterm, "%Y-%m-%d %H:%M:%S"))
latest = db.execute("SELECT stream_name, MAX(start_time) FROM recordings GROUP BY stream_name").fetchall()
stale = sorted(s for s, t in latest if t < stop_epoch - 2 * segment - 5)
missing = int(cameras) - len(latest)
check(not stale and not missing, f"cameras recording at the end (a segment started in the last {2 * segment + 5} s): "
      f"{len(latest) - len(stale)} of {cameras}" + (f"; stale: {', '.join(stale)}" if stale else ""))
quota = float(os.environ.get("QUOTA_MB", "0"))
if quota:
    held = [(b or 0) / 2**20 for s, n, b in per_stream[len(per_stream) // 2:]]
    print(f"quota streams (second half, max_storage_mb={quota:g}): {min(held):.1f}-{max(held):.1f} MiB at the end "
          f"(a sweep runs every minute; segments written since the last one count on top)")

print()
for ok, text in checks:
    print(f"{'PASS' if ok else 'FAIL'}  {text}")
failed = sum(1 for ok, _ in checks if not ok)
print(f"\nsoak {'PASSED' if not failed else f'FAILED ({failed} checks)'}")
sys.exit(1 if failed else 0)
