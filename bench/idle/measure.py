#!/usr/bin/env python3
"""Idle memory and start-up of a published LightNVR (bench/idle/run.sh builds it and calls this).

Per run: (1) `dotnet lightnvr.dll -v` (runtime start alone, the peer), (2) first start on an empty folder (creates the
database and the first admin) until GET /api/health answers 200, (3) SIGTERM, (4) second start on the same folder
(schema current, admin present: the everyday start) until 200, then idle memory after IDLE seconds and again after a
few authenticated API calls. Prints one line per run and the medians; times are also given as ratios to (1).
With several publish folders (measure.py A.dll B.dll), each run measures them in turn, so they share the load.
"""
import atexit, base64, http.client, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

DLLS = sys.argv[1:]
RUNS = int(os.environ.get("RUNS", "5"))
IDLE = float(os.environ.get("IDLE_SECONDS", "10"))
PASSWORD = "bench-Password-1"
AUTH = "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def get(port, path, auth=False, timeout=60.0):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path, headers={"Authorization": AUTH} if auth else {})
        r = c.getresponse(); r.read(); return r.status
    finally:
        c.close()


SERVERS = []
atexit.register(lambda: [p.kill() for p in SERVERS if p.poll() is None])


def start(DLL, cfg, port):
    t0 = time.monotonic()
    p = subprocess.Popen(["dotnet", DLL, "-c", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    SERVERS.append(p)
    while True:
        if p.poll() is not None:
            sys.exit(f"server exited with {p.returncode}")
        try:
            if get(port, "/api/health", timeout=2) == 200:
                return p, time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.01)


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)


def memory(pid):
    m = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "RssAnon", "RssFile")):
                k, v = line.split(":"); m[k] = int(v.split()[0]) / 1024
    with open(f"/proc/{pid}/smaps_rollup") as f:
        r = {}
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == "kB":
                r[parts[0].rstrip(":")] = int(parts[1]) / 1024
    m["Private"] = r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)
    m["Shared"] = r.get("Shared_Clean", 0) + r.get("Shared_Dirty", 0)
    return m


def mapped_assemblies(pid):
    names = set()
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if path.endswith(".dll"):
                names.add(os.path.basename(path))
    return sorted(names)


def mappings(pid):
    """Rss in MB per mapping (file name, or [anon]/[heap]/memfd:…), for SMAPS=1."""
    sizes, name = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5 and ":" not in parts[0]:
                name = os.path.basename(parts[5]) if len(parts) >= 6 else "[anon]"
            elif parts[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(parts[1]) / 1024
    return sizes


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


rows = {d: [] for d in DLLS}
asm = {}
maps = {}
print(f"{'run':>3} {'load':>5} {'-v s':>6} {'first s':>8} {'x -v':>6} {'again s':>8} {'x -v':>6} "
      f"{'RSS idle':>9} {'priv':>6} {'shared':>7} {'anon':>6} {'RSS api':>8} {'priv':>6}")
for run in range(1, RUNS + 1):
    for n, DLL in enumerate(DLLS):
        tag = "" if len(DLLS) == 1 else "ABCDEFGH"[n]
        d = tempfile.mkdtemp(prefix="lightnvr-idle-")
        port = free_port()
        cfg = os.path.join(d, "lightnvr.ini")
        with open(cfg, "w") as f:
            f.write(f"""[general]
pid_file = {d}/lightnvr.pid
log_file = {d}/lightnvr.log
log_level = 2
[web]
port = {port}
bind_ip = 127.0.0.1
username = admin
password = {PASSWORD}
[database]
path = {d}/lightnvr.db
[storage]
path = {d}/recordings
[go2rtc]
rtsp_port = {free_port()}
""")
        load = loadavg()
        t0 = time.monotonic()
        subprocess.run(["dotnet", DLL, "-v"], stdout=subprocess.DEVNULL, check=True)
        tv = time.monotonic() - t0
        p, t_first = start(DLL, cfg, port)
        # wait for the first admin before stopping (login works), so the second start is the everyday one
        for _ in range(500):
            if get(port, "/api/streams", auth=True) == 200:
                break
            time.sleep(0.05)
        stop(p)
        p, t_again = start(DLL, cfg, port)
        time.sleep(IDLE)
        idle = memory(p.pid)
        asm[DLL] = mapped_assemblies(p.pid)
        if os.environ.get("SMAPS") == "1":
            maps.setdefault(DLL, []).append(mappings(p.pid))
        for path in ["/api/streams", "/api/system", "/api/settings", "/api/recordings", "/api/system/logs",
                     "/api/auth/verify", "/api/health"]:
            get(port, path, auth=True)
        time.sleep(2)
        api = memory(p.pid)
        stop(p)
        shutil.rmtree(d, ignore_errors=True)
        rows[DLL].append((float(load), tv, t_first, t_first / tv, t_again, t_again / tv, idle["VmRSS"], idle["Private"],
                     idle["Shared"], idle["RssAnon"], api["VmRSS"], api["Private"]))
        print(f"{run:>3}{tag} {load:>5} {tv:6.2f} {t_first:8.2f} {t_first/tv:6.1f} {t_again:8.2f} {t_again/tv:6.1f} "
              f"{idle['VmRSS']:9.1f} {idle['Private']:6.1f} {idle['Shared']:7.1f} {idle['RssAnon']:6.1f} "
              f"{api['VmRSS']:8.1f} {api['Private']:6.1f}", flush=True)

for n, DLL in enumerate(DLLS):
    tag = "" if len(DLLS) == 1 else "ABCDEFGH"[n]
    if tag:
        print(f"{tag} = {DLL}")
    med = [statistics.median(c) for c in zip(*rows[DLL])]
    print(f"med{tag} {med[0]:5.1f} {med[1]:6.2f} {med[2]:8.2f} {med[3]:6.1f} {med[4]:8.2f} {med[5]:6.1f} "
          f"{med[6]:9.1f} {med[7]:6.1f} {med[8]:7.1f} {med[9]:6.1f} {med[10]:8.1f} {med[11]:6.1f}")
    print(f"assemblies mapped at idle ({len(asm[DLL])}): {' '.join(a.removesuffix('.dll') for a in asm[DLL])}")
    if DLL in maps:  # median Rss per mapping over the runs, the biggest first
        names = set().union(*maps[DLL])
        med = {k: statistics.median(m.get(k, 0) for m in maps[DLL]) for k in names}
        top = sorted(med.items(), key=lambda kv: -kv[1])[:25]
        print("biggest mappings at idle (MB): " + ", ".join(f"{k} {v:.1f}" for k, v in top))
